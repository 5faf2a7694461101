using System.Collections.Concurrent;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests;

/// <summary><see cref="Informer{T}"/>: sync, events, indexes and resync against a real apiserver.</summary>
public sealed class InformerTests : ClientTestBase
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_ExistingObjects_SyncsAllPagesAndCallsOnAdd()
    {
        for (var i = 0; i < 5; i++)
        {
            await Client.CreateAsync(Objects.Pod($"p{i}"));
        }

        var informer = new Informer<Pod>(Client, new InformerOptions { PageSize = 2 });
        var added = new ConcurrentQueue<string>();
        informer.OnAdd(p => added.Enqueue(p.Metadata.Name!));
        Assert.False(informer.HasSynced);

        var run = informer.RunAsync(Stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(Within);

        Assert.True(informer.HasSynced);
        Assert.Equal(5, informer.List().Count);
        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], added.Order());
        Assert.NotNull(informer.Get("default", "p3"));
        await Stop.CancelAsync();
        await run.WaitAsync(Within);
    }

    [Fact]
    public async Task RunAsync_LaterChanges_ReachCacheAndHandlersInOrder()
    {
        var informer = new Informer<Pod>(Client);
        var seen = new ConcurrentQueue<string>();
        informer.OnAdd(p => seen.Enqueue("add " + p.Metadata.Name));
        informer.OnUpdate((o, n) => seen.Enqueue($"update {n.Metadata.Name} {o.Metadata.Labels?.GetValueOrDefault("v")}->{n.Metadata.Labels?.GetValueOrDefault("v")}"));
        informer.OnDelete(p => seen.Enqueue("delete " + p.Metadata.Name));
        _ = informer.RunAsync(Stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(Within);

        var created = await Client.CreateAsync(Objects.Pod("web"));
        created.Metadata.Labels = new() { ["v"] = "1" };
        await Client.UpdateAsync(created);
        await Eventually.True(() => informer.Get("default", "web")?.Metadata.Labels?.GetValueOrDefault("v") == "1", "the update in the cache", Within);
        await Client.DeleteAsync<Pod>("default", "web");
        await Eventually.True(() => seen.Count == 3, "three events", Within);

        Assert.Equal(["add web", "update web ->1", "delete web"], seen);
        Assert.Null(informer.Get("default", "web"));
    }

    [Fact]
    public async Task ByIndex_NodeNameIndex_FollowsBindings()
    {
        var informer = new Informer<Pod>(Client);
        informer.AddIndex("node", p => p.Spec?.NodeName is { Length: > 0 } node ? [node] : []);
        _ = informer.RunAsync(Stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(Within);

        foreach (var name in new[] { "a", "b", "c" })
        {
            await Client.CreateAsync(Objects.Pod(name));
        }

        await Client.BindAsync("default", "a", "n1");
        await Client.BindAsync("default", "b", "n1");
        await Client.BindAsync("default", "c", "n2");
        await Eventually.True(() => informer.ByIndex("node", "n2").Count == 1, "pod c on n2", Within);
        await Eventually.True(() => informer.ByIndex("node", "n1").Count == 2, "pods a and b on n1", Within);
        await Client.DeleteAsync<Pod>("default", "a", new() { GracePeriodSeconds = 0 });
        await Eventually.True(() => informer.ByIndex("node", "n1").Count == 1, "pod a gone from n1", Within);

        Assert.Equal("b", Assert.Single(informer.ByIndex("node", "n1")).Metadata.Name);
        Assert.Empty(informer.ByIndex("node", "n3"));
        Assert.Throws<ArgumentException>(() => informer.ByIndex("nope", "n1"));
    }

    [Fact]
    public async Task RunAsync_ResyncPeriod_RedeliversCachedObjectsAsUpdates()
    {
        await Client.CreateAsync(Objects.Pod("web"));
        var informer = new Informer<Pod>(Client, new InformerOptions { ResyncPeriod = TimeSpan.FromMilliseconds(100) });
        var resyncs = 0;
        informer.OnUpdate((o, n) =>
        {
            if (ReferenceEquals(o, n))
            {
                Interlocked.Increment(ref resyncs);
            }
        });
        _ = informer.RunAsync(Stop.Token);

        await Eventually.True(() => Volatile.Read(ref resyncs) >= 2, "two resyncs", Within);
    }

    [Fact]
    public async Task OnAdd_AfterRunAsync_Throws()
    {
        var informer = new Informer<Pod>(Client);
        _ = informer.RunAsync(Stop.Token);

        Assert.Throws<InvalidOperationException>(() => informer.OnAdd(_ => { }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => informer.RunAsync(Stop.Token));
    }

    [Fact]
    public async Task RunAsync_ClusterScopedKind_KeysByName()
    {
        await Client.CreateAsync(Objects.Node("n1"));
        var informer = new Informer<Node>(Client);
        _ = informer.RunAsync(Stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(Within);

        Assert.Equal("n1", informer.Get(null, "n1")?.Metadata.Name);
    }
}
