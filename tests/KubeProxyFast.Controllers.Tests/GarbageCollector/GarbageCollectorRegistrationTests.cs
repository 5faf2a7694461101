using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client.Informers;
using Microsoft.Extensions.Logging.Abstractions;
using static KubeProxyFast.Controllers.Tests.GarbageCollector.GarbageCollectorHarness;

namespace KubeProxyFast.Controllers.Tests.GarbageCollector;

/// <summary>The collector as the controller manager builds and runs it (<c>--controllers garbagecollector</c>).</summary>
public sealed class GarbageCollectorRegistrationTests
{
    [Fact]
    public async Task ControllerManager_GarbageCollectorEnabled_CollectsDependentsOfAnAbsentOwner()
    {
        await using var harness = await StartAsync(startCollector: false);
        var rc = await harness.CreateControllerAsync("web");
        await harness.CreatePodAsync("web-1", OwnedBy(rc));
        await harness.Client.DeleteAsync<ReplicationController>("default", "web", new DeleteOptions { PropagationPolicy = PropagationPolicies.Background });
        var informers = new SharedInformerFactory(harness.Client);
        await using var context = new ControllerContext(harness.Client, informers, NullLoggerFactory.Instance);
        var manager = new ControllerManager(context, new ControllerManagerOptions { Controllers = ["garbage-collector-controller"] });
        using var stop = new CancellationTokenSource();

        var run = manager.RunAsync(stop.Token);
        await harness.GoneAsync<Pod>("web-1");
        await stop.CancelAsync();
        await run;
        await informers.DisposeAsync();

        Assert.Equal(["garbagecollector"], manager.EnabledControllers);
    }
}
