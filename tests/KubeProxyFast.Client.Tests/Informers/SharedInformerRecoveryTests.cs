using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests.Informers;

/// <summary><see cref="SharedInformer{T}"/> recovering from ended watches and compacted history.</summary>
public sealed partial class SharedInformerRecoveryTests : InformerTestBase
{
    [Fact]
    public async Task Watch_ServerEndsIt_RewatchesFromTheLastRevisionWithoutRedelivering()
    {
        await Client.CreateAsync(Objects.Pod("old"));
        var factory = Factory(new SharedInformerOptions { WatchTimeout = TimeSpan.FromSeconds(1) });
        var informer = factory.InformerFor<Pod>();
        var seen = new ConcurrentQueue<string>();
        informer.AddEventHandler(new()
        {
            OnAdd = p => seen.Enqueue(p.Metadata.Name!),
            OnUpdate = (_, n) => seen.Enqueue("update " + n.Metadata.Name),
        });
        factory.Start();
        await factory.WaitForCacheSyncAsync().WaitAsync(Within);
        var created = await Client.CreateAsync(Objects.Pod("new"));
        await Eventually.True(() => informer.Lister.Get("default", "new") is not null, "the pod created after the list", Within);

        // The server ends each watch after 1 s: wait for two re-watches after the create.
        var before = Requests.Watches("pods").Count;
        await Eventually.True(() => Requests.Watches("pods").Count >= before + 2, "two re-watches", Within);

        var versions = Requests.Watches("pods").Select(w => long.Parse(VersionOf().Match(w).Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.All(versions.Skip(before), v => Assert.True(v >= long.Parse(created.Metadata.ResourceVersion!, CultureInfo.InvariantCulture)));
        Assert.Equal(versions.Order(), versions);
        Assert.Single(Requests.Lists("pods"));
        Assert.Equal(["old", "new"], seen);
    }

    [Fact]
    public async Task Watch_HistoryCompactedWhileAway_RelistsOnGoneAndDeliversTheDifference()
    {
        await Client.CreateAsync(Objects.Pod("a"));
        await Client.CreateAsync(Objects.Pod("b"));
        var factory = Factory(new SharedInformerOptions { WatchTimeout = TimeSpan.FromSeconds(1) });
        var informer = factory.InformerFor<Pod>();
        var events = new ConcurrentQueue<string>();
        informer.AddEventHandler(new()
        {
            OnAdd = p => events.Enqueue("add " + p.Metadata.Name),
            OnUpdate = (o, n) => events.Enqueue("update " + n.Metadata.Name),
            OnDelete = p => events.Enqueue("delete " + p.Metadata.Name),
        });
        factory.Start();
        await factory.WaitForCacheSyncAsync().WaitAsync(Within);
        var staleVersion = informer.LastSyncResourceVersion;

        // Keep the informer away: its next watch (the server ends this one within 1 s) waits at the gate.
        Requests.HoldWatches();
        await Eventually.True(() => Requests.HeldWatches == 1, "the informer's re-watch held", Within);
        await Client.DeleteAsync<Pod>("default", "a");
        await Client.CreateAsync(Objects.Pod("c"));
        var b = await Client.GetAsync<Pod>("default", "b");
        b.Metadata.Labels = new() { ["v"] = "2" };
        var last = await Client.UpdateAsync(b);
        await Server.Store.CompactAsync(long.Parse(last.Metadata.ResourceVersion!, CultureInfo.InvariantCulture));
        Requests.OpenWatches();

        await Eventually.True(() => events.Count == 5, "the relist's three changes", Within);
        // The relist's difference in list (key) order, then the deletes: not the history's order (a's delete came first).
        Assert.Equal(["add a", "add b", "update b", "add c", "delete a"], events);
        Assert.Equal(["b", "c"], informer.Lister.List().Select(p => p.Metadata.Name).Order());
        Assert.Equal("2", informer.Lister.Get("default", "b")!.Metadata.Labels!["v"]);
        Assert.Equal(2, Requests.Lists("pods").Count);
        Assert.Contains(Requests.Watches("pods"), w => w.Contains("resourceVersion=" + staleVersion, StringComparison.Ordinal));
        Assert.Equal(last.Metadata.ResourceVersion, informer.LastSyncResourceVersion);
    }

    [GeneratedRegex("resourceVersion=([0-9]+)")]
    private static partial Regex VersionOf();
}
