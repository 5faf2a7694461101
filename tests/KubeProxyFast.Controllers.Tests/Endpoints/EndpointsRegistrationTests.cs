using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Controllers.Endpoints;

namespace KubeProxyFast.Controllers.Tests.Endpoints;

/// <summary>The endpoints controller as the controller manager runs it: by its name, with its options.</summary>
public sealed class EndpointsRegistrationTests : EndpointsControllerTestBase
{
    [Fact]
    public async Task RunAsync_ManagerWithEndpointEnabled_WritesEndpoints()
    {
        await using var informers = new SharedInformerFactory(Client);
        await using var context = new ControllerContext(Client, informers, Logs);
        var manager = new ControllerManager(context, new ControllerManagerOptions { Controllers = ["endpoints-controller"], Endpoint = new EndpointsOptions { ConcurrentEndpointSyncs = 2 } });
        Assert.Equal(["endpoint"], manager.EnabledControllers);
        using var stop = new CancellationTokenSource();
        var run = manager.RunAsync(stop.Token);

        await CreateServiceAsync("web", App("web"), [Port(null, 80, IntOrString.FromInt(8080))]);
        await CreatePodAsync("p", App("web"));
        await SetPodStatusAsync("p", "198.18.0.1", ready: true);
        await WaitForEndpointsAsync("web", e => Describe(e) == "ready[198.18.0.1] notReady[] ports[:8080/TCP]", "endpoints written by the managed controller");

        await stop.CancelAsync();
        await run;
    }
}
