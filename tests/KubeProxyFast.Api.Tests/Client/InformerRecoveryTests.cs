using System.Collections.Concurrent;
using System.Globalization;
using KubeProxyFast.Api.Client;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Api.Tests.Client;

/// <summary><see cref="Informer{T}"/> recovering from ended watches and compacted history.</summary>
public sealed class InformerRecoveryTests : ClientTestBase
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    // A watch timeout of 1 s (the least timeoutSeconds can say) and a margin for the server to end it.
    private static readonly TimeSpan PastWatchTimeout = TimeSpan.FromMilliseconds(1500);

    [Fact]
    public async Task RunAsync_ServerEndsWatch_RewatchesWithoutRedelivering()
    {
        await Client.CreateAsync(Objects.Pod("old"));
        var informer = new Informer<Pod>(Client, new InformerOptions { WatchTimeout = TimeSpan.FromSeconds(1), ResyncPeriod = TimeSpan.Zero });
        var added = new ConcurrentQueue<string>();
        informer.OnAdd(p => added.Enqueue(p.Metadata.Name!));
        informer.OnUpdate((_, n) => added.Enqueue("update " + n.Metadata.Name));
        _ = informer.RunAsync(Stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(Within);

        await Task.Delay(PastWatchTimeout * 2);
        await Client.CreateAsync(Objects.Pod("new"));
        await Eventually.True(() => informer.Get("default", "new") is not null, "the pod created after two watch timeouts", Within);

        // A watch from no version would replay "old" as ADDED, seen here as an update: none means each re-watch started from a version.
        Assert.Equal(["old", "new"], added);
    }

    [Fact]
    public async Task RunAsync_HistoryCompactedWhileWatchDown_RelistsAndConvergesIncludingDeletes()
    {
        await Client.CreateAsync(Objects.Pod("a"));
        await Client.CreateAsync(Objects.Pod("b"));
        var informer = new Informer<Pod>(Client, new InformerOptions { WatchTimeout = TimeSpan.FromSeconds(1), ResyncPeriod = TimeSpan.Zero });
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
        _ = informer.RunAsync(Stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(Within);

        await Client.CreateAsync(Objects.Pod("trigger"));
        Assert.True(blocked.Wait(Within));
        await Task.Delay(PastWatchTimeout);
        await Client.DeleteAsync<Pod>("default", "a");
        await Client.CreateAsync(Objects.Pod("c"));
        var b = await Client.GetAsync<Pod>("default", "b");
        b.Metadata.Labels = new() { ["v"] = "2" };
        var last = await Client.UpdateAsync(b);
        await Server.Store.CompactAsync(long.Parse(last.Metadata.ResourceVersion!, CultureInfo.InvariantCulture));
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
