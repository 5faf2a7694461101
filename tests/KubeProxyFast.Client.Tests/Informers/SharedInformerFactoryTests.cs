using System.Collections.Concurrent;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests.Informers;

/// <summary><see cref="SharedInformerFactory"/>: one list+watch per kind and selector, shared; start and stop.</summary>
public sealed class SharedInformerFactoryTests : InformerTestBase
{
    [Fact]
    public async Task InformerFor_TwoConsumersOfPods_ShareOneListAndOneWatch()
    {
        var factory = Factory();
        var seen = new[] { new ConcurrentQueue<string>(), new ConcurrentQueue<string>() };
        var first = factory.InformerFor<Pod>();
        first.AddEventHandler(new() { OnAdd = p => seen[0].Enqueue(p.Metadata.Name!) });
        factory.Start();
        var second = factory.InformerFor<Pod>(ns: null, labelSelector: "");
        second.AddEventHandler(new() { OnAdd = p => seen[1].Enqueue(p.Metadata.Name!) });
        await factory.WaitForCacheSyncAsync().WaitAsync(Within);
        await Client.CreateAsync(Objects.Pod("web"));

        await Eventually.True(() => seen.All(s => s.Count == 1), "both consumers to see the pod", Within);
        Assert.Same(first, second);
        Assert.Single(Requests.Lists("pods"));
        Assert.Single(Requests.Watches("pods"));
    }

    [Fact]
    public async Task InformerFor_OtherSelectorOrNamespace_IsItsOwnInformerStartedWhenAskedFor()
    {
        await Client.CreateAsync(Objects.Pod("a", labels: new() { ["app"] = "web" }));
        await Client.CreateAsync(Objects.Namespace("other"));
        await Client.CreateAsync(Objects.Pod("b", ns: "other"));
        var factory = Factory();
        var all = factory.InformerFor<Pod>();
        factory.Start();
        var web = factory.InformerFor<Pod>(labelSelector: "app=web");
        var other = factory.InformerFor<Pod>(ns: "other");
        await factory.WaitForCacheSyncAsync().WaitAsync(Within);

        Assert.NotSame(all, web);
        Assert.Equal(2, all.Lister.Count);
        Assert.Equal("a", Assert.Single(web.Lister.List()).Metadata.Name);
        Assert.Equal("b", Assert.Single(other.Lister.List()).Metadata.Name);
        Assert.Equal(3, Requests.Lists("pods").Count);
        Assert.Same(factory.InformerFor<Node>("ignored"), factory.InformerFor<Node>());
    }

    [Fact]
    public async Task StopAsync_Running_EndsTheWatchesAndHandlersGetNothingMore()
    {
        var factory = Factory();
        var informer = factory.InformerFor<Pod>();
        var added = new ConcurrentQueue<string>();
        informer.AddEventHandler(new() { OnAdd = p => added.Enqueue(p.Metadata.Name!) });
        factory.Start();
        await factory.WaitForCacheSyncAsync().WaitAsync(Within);

        await factory.StopAsync().WaitAsync(Within);
        await Client.CreateAsync(Objects.Pod("after"));
        // A watch still open would have been counted when it ended: none is open.
        await Eventually.True(() => Requests.Watches("pods").Count == 1, "one watch", Within);

        Assert.Empty(added);
        Assert.Throws<InvalidOperationException>(() => factory.Start());
    }

    [Fact]
    public void InformerFor_KindThatCannotBeListed_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Factory().InformerFor<Binding>());

        Assert.Contains("Binding cannot be listed", e.Message, StringComparison.Ordinal);
    }
}
