using System.Collections.Concurrent;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests.Informers;

/// <summary><see cref="SharedInformer{T}"/>: sync, handlers (order, copies, locking), listers and resync against a real apiserver.</summary>
public sealed class SharedInformerTests : InformerTestBase
{
    [Fact]
    public async Task Start_ExistingObjects_SyncsAllPagesAndCallsOnAdd()
    {
        for (var i = 0; i < 5; i++)
        {
            await Client.CreateAsync(Objects.Pod($"p{i}"));
        }

        var factory = Factory(new SharedInformerOptions { PageSize = 2 });
        var informer = factory.InformerFor<Pod>();
        var added = new ConcurrentQueue<string>();
        await using var _ = informer.AddEventHandler(new() { OnAdd = p => added.Enqueue(p.Metadata.Name!) });
        Assert.False(informer.HasSynced);

        factory.Start();
        await factory.WaitForCacheSyncAsync().WaitAsync(Within);
        await Eventually.True(() => added.Count == 5, "five adds", Within);

        Assert.True(informer.HasSynced);
        Assert.Equal(5, informer.Lister.Count);
        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], added);
        Assert.Equal("p3", informer.Lister.Get("default", "p3")?.Metadata.Name);
        Assert.Equal(3, Requests.Lists("pods").Count);
    }

    [Fact]
    public async Task Handlers_LaterChanges_EachHandlerGetsThemInEventOrder()
    {
        var factory = Factory();
        var informer = factory.InformerFor<Pod>();
        var seen = new[] { new ConcurrentQueue<string>(), new ConcurrentQueue<string>() };
        foreach (var log in seen)
        {
            informer.AddEventHandler(new()
            {
                OnAdd = p => log.Enqueue($"add {p.Metadata.Name} {p.Metadata.ResourceVersion}"),
                OnUpdate = (o, n) => log.Enqueue($"update {n.Metadata.Name} {o.Metadata.Labels?.GetValueOrDefault("v")}->{n.Metadata.Labels?.GetValueOrDefault("v")}"),
                OnDelete = p => log.Enqueue("delete " + p.Metadata.Name),
            });
        }

        factory.Start();
        await factory.WaitForCacheSyncAsync().WaitAsync(Within);
        var expected = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var pod = await Client.CreateAsync(Objects.Pod($"p{i}"));
            expected.Add($"add p{i} {pod.Metadata.ResourceVersion}");
            pod.Metadata.Labels = new() { ["v"] = "1" };
            await Client.UpdateAsync(pod);
            expected.Add($"update p{i} ->1");
        }

        await Client.DeleteAsync<Pod>("default", "p3");
        expected.Add("delete p3");

        foreach (var log in seen)
        {
            await Eventually.True(() => log.Count == expected.Count, "every event", Within);
            Assert.Equal(expected, log);
        }
    }

    [Fact]
    public async Task Handlers_OneMutatesItsObject_NeitherTheOtherHandlerNorTheCacheSeesIt()
    {
        var factory = Factory();
        var informer = factory.InformerFor<Pod>();
        var mutated = new TaskCompletionSource<Pod>(TaskCreationOptions.RunContinuationsAsynchronously);
        var other = new TaskCompletionSource<Pod>(TaskCreationOptions.RunContinuationsAsynchronously);
        informer.AddEventHandler(new()
        {
            OnAdd = p =>
            {
                p.Metadata.Labels = new() { ["mutated"] = "yes" };
                p.Spec!.Containers![0].Image = "evil";
                mutated.SetResult(p);
            },
        });
        informer.AddEventHandler(new()
        {
            // Looks only once the first handler has changed its object.
            OnAdd = p => other.SetResult(mutated.Task.Wait(Within) ? p : throw new TimeoutException()),
        });
        factory.Start();
        await Client.CreateAsync(Objects.Pod("web"));

        var first = await mutated.Task.WaitAsync(Within);
        var second = await other.Task.WaitAsync(Within);

        Assert.NotSame(first, second);
        Assert.Null(second.Metadata.Labels);
        Assert.Equal("nginx", second.Spec!.Containers![0].Image);
        var cached = informer.Lister.Get("default", "web")!;
        Assert.Null(cached.Metadata.Labels);
        Assert.Equal("nginx", cached.Spec!.Containers![0].Image);
        cached.Metadata.Labels = new() { ["mutated"] = "by the lister's caller" };
        Assert.Null(informer.Lister.Get("default", "web")!.Metadata.Labels);
    }

    [Fact]
    public async Task Handlers_OneBlocked_CacheAndOtherHandlersKeepGoingAndItReadsTheLister()
    {
        var factory = Factory();
        var informer = factory.InformerFor<Pod>();
        var release = new ManualResetEventSlim();
        var blockedOn = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        informer.AddEventHandler(new()
        {
            OnAdd = p =>
            {
                // A handler reading the lister while it holds up its own dispatcher: no lock is held around it.
                blockedOn.TrySetResult(informer.Lister.List().Count);
                release.Wait(Within);
            },
        });
        var fast = new ConcurrentQueue<string>();
        informer.AddEventHandler(new() { OnAdd = p => fast.Enqueue(p.Metadata.Name!) });
        factory.Start();
        await Client.CreateAsync(Objects.Pod("a"));
        Assert.Equal(1, await blockedOn.Task.WaitAsync(Within));

        await Client.CreateAsync(Objects.Pod("b"));
        await Eventually.True(() => fast.Count == 2, "the other handler to get both adds", Within);
        Assert.NotNull(informer.Lister.Get("default", "b"));
        release.Set();
    }

    [Fact]
    public async Task AddEventHandler_AfterSync_GetsAnAddForEveryCachedObject()
    {
        await Client.CreateAsync(Objects.Pod("a"));
        await Client.CreateAsync(Objects.Pod("b"));
        var factory = Factory();
        var informer = factory.InformerFor<Pod>();
        factory.Start();
        await factory.WaitForCacheSyncAsync().WaitAsync(Within);

        var added = new ConcurrentQueue<string>();
        await using (informer.AddEventHandler(new() { OnAdd = p => added.Enqueue(p.Metadata.Name!) }))
        {
            await Client.CreateAsync(Objects.Pod("c"));
            await Eventually.True(() => added.Count == 3, "adds of a, b and c", Within);
        }

        Assert.Equal(["a", "b", "c"], added.Take(2).Order().Append(added.Last()));
        await Client.CreateAsync(Objects.Pod("d"));
        await Eventually.True(() => informer.Lister.Get("default", "d") is not null, "d in the cache", Within);
        Assert.Equal(3, added.Count);
    }

    [Fact]
    public async Task Handlers_OneThrows_IsLoggedAndGetsLaterNotifications()
    {
        var log = new CapturingLoggerFactory();
        var factory = Factory(new SharedInformerOptions { Logger = log.CreateLogger("informers") });
        var informer = factory.InformerFor<Pod>();
        var added = new ConcurrentQueue<string>();
        informer.AddEventHandler(new()
        {
            OnAdd = p =>
            {
                added.Enqueue(p.Metadata.Name!);
                if (p.Metadata.Name == "bad")
                {
                    throw new InvalidOperationException("handler bug");
                }
            },
        });
        factory.Start();
        await Client.CreateAsync(Objects.Pod("bad"));
        await Client.CreateAsync(Objects.Pod("good"));

        await Eventually.True(() => added.Count == 2, "both adds", Within);
        Assert.Contains(log.Messages, m => m.Contains("a handler failed on default/bad", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResyncPeriod_ClockPassesIt_EveryHandlerGetsAnUpdateOfEachObjectWithOldSameAsNew()
    {
        await Client.CreateAsync(Objects.Pod("a"));
        await Client.CreateAsync(Objects.Pod("b"));
        var clock = new FakeTimeProvider();
        var factory = Factory(new SharedInformerOptions { ResyncPeriod = TimeSpan.FromMinutes(1), Time = clock });
        var informer = factory.InformerFor<Pod>();
        var resyncs = new[] { new ConcurrentQueue<string>(), new ConcurrentQueue<string>() };
        foreach (var seen in resyncs)
        {
            informer.AddEventHandler(new() { OnUpdate = (o, n) => seen.Enqueue(ReferenceEquals(o, n) ? n.Metadata.Name! : "a real update") });
        }

        factory.Start();
        await factory.WaitForCacheSyncAsync().WaitAsync(Within);
        clock.Advance(TimeSpan.FromSeconds(59));
        clock.Advance(TimeSpan.FromSeconds(1));

        foreach (var seen in resyncs)
        {
            await Eventually.True(() => seen.Count == 2, "a resync of a and b", Within);
            Assert.Equal(["a", "b"], seen.Order());
        }
    }

    [Fact]
    public async Task Indexers_NamespaceNodeNameAndCustom_FollowTheCache()
    {
        var factory = Factory();
        var informer = factory.InformerFor<Pod>();
        informer.AddIndexer("app", p => p.Metadata.Labels?.GetValueOrDefault("app") is { } app ? [app] : []);
        factory.Start();
        await factory.WaitForCacheSyncAsync().WaitAsync(Within);

        await Client.CreateAsync(Objects.Pod("a", labels: new() { ["app"] = "web" }));
        await Client.CreateAsync(Objects.Pod("b", labels: new() { ["app"] = "web" }));
        await Client.CreateAsync(Objects.Namespace("other"));
        await Client.CreateAsync(Objects.Pod("c", ns: "other", labels: new() { ["app"] = "db" }));
        await Client.BindAsync("default", "a", "n1");
        await Client.BindAsync("default", "b", "n1");
        await Client.BindAsync("other", "c", "n2");
        await Eventually.True(() => informer.Lister.ByIndex(IndexNames.NodeName, "n1").Count == 2, "pods a and b on n1", Within);
        await Eventually.True(() => informer.Lister.ByIndex(IndexNames.NodeName, "n2").Count == 1, "pod c on n2", Within);
        await Client.DeleteAsync<Pod>("default", "a", new() { GracePeriodSeconds = 0 });
        await Eventually.True(() => informer.Lister.ByIndex(IndexNames.NodeName, "n1").Count == 1, "pod a gone from n1", Within);

        Assert.Equal("b", Assert.Single(informer.Lister.ByIndex(IndexNames.NodeName, "n1")).Metadata.Name);
        Assert.Equal("c", Assert.Single(informer.Lister.ByIndex(IndexNames.Namespace, "other")).Metadata.Name);
        Assert.Equal("b", Assert.Single(informer.Lister.ByIndex("app", "web")).Metadata.Name);
        Assert.Empty(informer.Lister.ByIndex(IndexNames.NodeName, "n3"));
        Assert.Throws<ArgumentException>(() => informer.Lister.ByIndex("nope", "n1"));
        Assert.Throws<ArgumentException>(() => informer.AddIndexer(IndexNames.Namespace, _ => []));
    }

    [Fact]
    public async Task Indexers_FunctionThrows_LeavesThatObjectOutAndLogs()
    {
        var log = new CapturingLoggerFactory();
        var factory = Factory(new SharedInformerOptions { Logger = log.CreateLogger("informers") });
        var informer = factory.InformerFor<Pod>();
        informer.AddIndexer("first-label", p => [p.Metadata.Labels!.Keys.First()]);
        factory.Start();
        await Client.CreateAsync(Objects.Pod("unlabelled"));
        await Client.CreateAsync(Objects.Pod("labelled", labels: new() { ["tier"] = "x" }));

        await Eventually.True(() => informer.Lister.Count == 2, "both pods cached", Within);
        Assert.Equal("labelled", Assert.Single(informer.Lister.ByIndex("first-label", "tier")).Metadata.Name);
        Assert.Contains(log.Messages, m => m.Contains("index first-label failed on default/unlabelled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lister_ClusterScopedKind_KeysByName()
    {
        await Client.CreateAsync(Objects.Node("n1"));
        var factory = Factory();
        var informer = factory.InformerFor<Node>();
        factory.Start();
        await factory.WaitForCacheSyncAsync().WaitAsync(Within);

        Assert.Equal("n1", informer.Lister.Get(null, "n1")?.Metadata.Name);
        Assert.Equal("n1", Assert.Single(informer.Lister.ByIndex(IndexNames.Namespace, "")).Metadata.Name);
    }
}
