using System.Collections.Concurrent;
using System.Globalization;
using KubeProxyFast.Api.Client;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Api.Tests.Client;

/// <summary><see cref="Informer{T}"/> recovering from ended watches and compacted history.</summary>
public sealed class InformerRecoveryTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    // A watch timeout of 1 s (the least timeoutSeconds can say) and a margin for the server to end it.
    private static readonly TimeSpan PastWatchTimeout = TimeSpan.FromMilliseconds(1500);

    private TestApiServer _server = null!;
    private KubeClient _client = null!;
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new KubeClient(_server.Url);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _server.DisposeAsync();
    }

    public void Dispose()
    {
        _client.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task RunAsync_ServerEndsWatch_RewatchesWithoutRedelivering()
    {
        await _client.CreateAsync(Objects.Pod("old"));
        var informer = new Informer<Pod>(_client, new InformerOptions { WatchTimeout = TimeSpan.FromSeconds(1), ResyncPeriod = TimeSpan.Zero });
        var added = new ConcurrentQueue<string>();
        informer.OnAdd(p => added.Enqueue(p.Metadata.Name!));
        informer.OnUpdate((_, n) => added.Enqueue("update " + n.Metadata.Name));
        _ = informer.RunAsync(_stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(Within);

        await Task.Delay(PastWatchTimeout * 2);
        await _client.CreateAsync(Objects.Pod("new"));
        await Eventually.True(() => informer.Get("default", "new") is not null, "the pod created after two watch timeouts", Within);

        // A watch from no version would replay "old" as ADDED, seen here as an update: none means each re-watch started from a version.
        Assert.Equal(["old", "new"], added);
    }

    [Fact]
    public async Task RunAsync_HistoryCompactedWhileWatchDown_RelistsAndConvergesIncludingDeletes()
    {
        await _client.CreateAsync(Objects.Pod("a"));
        await _client.CreateAsync(Objects.Pod("b"));
        var informer = new Informer<Pod>(_client, new InformerOptions { WatchTimeout = TimeSpan.FromSeconds(1), ResyncPeriod = TimeSpan.Zero });
        var events = new ConcurrentQueue<string>();
        using var blocked = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        informer.OnAdd(p =>
        {
            events.Enqueue("add " + p.Metadata.Name);
            if (p.Metadata.Name == "trigger")
            {
                // Hold the informer's loop so that it is away while the server ends its watch and history is compacted.
                blocked.Set();
                release.Wait(Within);
            }
        });
        informer.OnUpdate((o, n) => events.Enqueue("update " + n.Metadata.Name));
        informer.OnDelete(p => events.Enqueue("delete " + p.Metadata.Name));
        _ = informer.RunAsync(_stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(Within);

        await _client.CreateAsync(Objects.Pod("trigger"));
        Assert.True(blocked.Wait(Within));
        await Task.Delay(PastWatchTimeout);
        await _client.DeleteAsync<Pod>("default", "a");
        await _client.CreateAsync(Objects.Pod("c"));
        var b = await _client.GetAsync<Pod>("default", "b");
        b.Metadata.Labels = new() { ["v"] = "2" };
        var last = await _client.UpdateAsync(b);
        await _server.Store.CompactAsync(long.Parse(last.Metadata.ResourceVersion!, CultureInfo.InvariantCulture));
        release.Set();

        await Eventually.True(
            () => string.Join(",", informer.List().Select(p => p.Metadata.Name).Order()) == "b,c,trigger"
                && informer.Get("default", "b")?.Metadata.Labels?.GetValueOrDefault("v") == "2",
            "the cache to converge on b (updated), c and trigger", Within);

        // The relist's difference, in key order, then the deletes: not the watch's order (delete a came first there).
        Assert.Equal(["add a", "add b", "add trigger", "update b", "add c", "delete a"], events);
        Assert.Equal(last.Metadata.ResourceVersion, informer.LastResourceVersion);
    }
}
