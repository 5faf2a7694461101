using System.Collections.Concurrent;
using System.Globalization;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests;

/// <summary><see cref="Informer{T}"/> recovering from ended watches and compacted history.</summary>
public sealed class InformerRecoveryTests : ClientTestBase
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

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

        // The server ends each watch after 1 s (timeoutSeconds): the informer has re-watched twice
        // once the server has started three.
        await Eventually.True(async () => await PodWatchesStartedAsync() >= 3, "the informer's second re-watch", Within);
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
        await Eventually.True(async () => await PodWatchesEndedAsync() >= 1, "the server to end the informer's watch", Within);
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

    /// <summary>Pod watches the server has started (<c>kpf_apiserver_watches_total</c>, from the cache or the store).</summary>
    private Task<long> PodWatchesStartedAsync() => SumAsync("kpf_apiserver_watches_total{resource=\"pods\",");

    /// <summary>Pod watches the server has ended (<c>apiserver_request_total</c> counts a watch when its response ends).</summary>
    private Task<long> PodWatchesEndedAsync() => SumAsync("apiserver_request_total{verb=\"WATCH\",resource=\"pods\",");

    private async Task<long> SumAsync(string seriesPrefix)
    {
        var total = 0L;
        foreach (var line in (await Server.Http.GetStringAsync("/metrics")).Split('\n'))
        {
            if (line.StartsWith(seriesPrefix, StringComparison.Ordinal))
            {
                total += long.Parse(line.AsSpan(line.LastIndexOf(' ') + 1), CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}
