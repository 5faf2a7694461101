using System.Collections.Concurrent;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests.Informers;

/// <summary>A handler that falls further behind than its buffer: others go on; it is caught up with the cache.</summary>
public sealed class HandlerOverflowTests : InformerTestBase
{
    [Fact]
    public async Task SlowHandler_BufferOverflows_OthersGetEveryEventAndItConvergesOnTheCache()
    {
        var log = new CapturingLoggerFactory();
        var factory = Factory(new SharedInformerOptions { HandlerBufferSize = 2, Logger = log.CreateLogger("informers") });
        var informer = factory.InformerFor<Pod>();
        var release = new ManualResetEventSlim();
        var slowView = new ConcurrentDictionary<string, string>();
        var slowCalls = 0;
        informer.AddEventHandler(new()
        {
            OnAdd = p =>
            {
                release.Wait(Within);
                Interlocked.Increment(ref slowCalls);
                slowView[p.Metadata.Name!] = p.Metadata.ResourceVersion!;
            },
            OnUpdate = (o, n) =>
            {
                Assert.True(slowView.ContainsKey(o.Metadata.Name!));
                Interlocked.Increment(ref slowCalls);
                slowView[n.Metadata.Name!] = n.Metadata.ResourceVersion!;
            },
            OnDelete = p =>
            {
                Interlocked.Increment(ref slowCalls);
                Assert.True(slowView.TryRemove(p.Metadata.Name!, out _));
            },
        });
        var fastView = new ConcurrentDictionary<string, string>();
        informer.AddEventHandler(new()
        {
            OnAdd = p => fastView[p.Metadata.Name!] = p.Metadata.ResourceVersion!,
            OnUpdate = (_, n) => fastView[n.Metadata.Name!] = n.Metadata.ResourceVersion!,
            OnDelete = p => fastView.TryRemove(p.Metadata.Name!, out _),
        });
        factory.Start();
        await factory.WaitForCacheSyncAsync().WaitAsync(Within);

        for (var i = 0; i < 8; i++)
        {
            var pod = await Client.CreateAsync(Objects.Pod($"p{i}"));
            pod.Metadata.Labels = new() { ["v"] = "1" };
            await Client.UpdateAsync(pod);
        }

        await Client.DeleteAsync<Pod>("default", "p0");
        await Client.DeleteAsync<Pod>("default", "p5");
        await Eventually.True(() => informer.Lister.Count == 6 && informer.Lister.List().All(p => p.Metadata.Labels is not null), "the cache to hold the final state", Within);
        var cache = informer.Lister.List().ToDictionary(p => p.Metadata.Name!, p => p.Metadata.ResourceVersion!);
        // The other handler is not held up by the slow one (its buffer has the same bound: under load it may be caught up too).
        await Eventually.True(() => SameAs(fastView, cache), "the other handler's view to equal the cache while the slow one is blocked", Within);
        Assert.Contains(log.Messages, m => m.Contains("a handler is 2 notifications behind", StringComparison.Ordinal));
        release.Set();

        await Eventually.True(() => SameAs(slowView, cache), "the slow handler's view to equal the cache", Within);
        Assert.Equal(6, cache.Count);
        Assert.True(slowCalls < 18, $"caught up with the difference, not every event ({slowCalls} calls)");
        Assert.Contains(log.Messages, m => m.Contains("a handler that fell behind was caught up", StringComparison.Ordinal));
    }

    private static bool SameAs(ConcurrentDictionary<string, string> view, Dictionary<string, string> cache) =>
        view.Count == cache.Count && cache.All(c => view.GetValueOrDefault(c.Key) == c.Value);
}
