using KubeProxyFast.Api.Core;
using static KubeProxyFast.Controllers.Tests.GarbageCollector.GarbageCollectorHarness;

namespace KubeProxyFast.Controllers.Tests.GarbageCollector;

/// <summary>
/// <c>kubectl delete rc</c> with each <c>--cascade</c>, through real kubectl, with the collector
/// running: kubectl sends the policy (Background unless told) and waits for the controller to go.
/// </summary>
public sealed class GarbageCollectorKubectlTests : IAsyncLifetime
{
    private GarbageCollectorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task KubectlDelete_Controller_DeletesItsPods()
    {
        var rc = await _harness.CreateControllerAsync("web");
        await _harness.CreatePodAsync("web-1", OwnedBy(rc));
        await _harness.CreatePodAsync("web-2", OwnedBy(rc));

        var output = await KubectlAsync("delete", "rc", "web");

        Assert.Equal("replicationcontroller \"web\" deleted\n", output);
        await _harness.GoneAsync<Pod>("web-1");
        await _harness.GoneAsync<Pod>("web-2");
    }

    [Fact]
    public async Task KubectlDelete_CascadeOrphan_LeavesItsPodsUnowned()
    {
        var rc = await _harness.CreateControllerAsync("web");
        await _harness.CreatePodAsync("web-1", OwnedBy(rc));

        var output = await KubectlAsync("delete", "rc", "web", "--cascade=orphan");

        // kubectl waited for the controller to go, which the collector allowed once the pod was released.
        Assert.Equal("replicationcontroller \"web\" deleted\n", output);
        Assert.Null(await _harness.FindAsync<ReplicationController>("web"));
        Assert.Null((await _harness.FindAsync<Pod>("web-1"))!.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task KubectlDelete_CascadeForeground_ReturnsOnceThePodsAndTheControllerAreGone()
    {
        var rc = await _harness.CreateControllerAsync("web");
        await _harness.CreatePodAsync("web-1", OwnedBy(rc));
        await _harness.CreatePodAsync("web-2", OwnedBy(rc));

        var output = await KubectlAsync("delete", "rc", "web", "--cascade=foreground");

        Assert.Equal("replicationcontroller \"web\" deleted\n", output);
        Assert.Null(await _harness.FindAsync<ReplicationController>("web"));
        Assert.Null(await _harness.FindAsync<Pod>("web-1"));
        Assert.Null(await _harness.FindAsync<Pod>("web-2"));
    }

    private async Task<string> KubectlAsync(params string[] args)
    {
        // kubectl blocks while it waits for the deletion: off the test's thread, so the collector's workers keep running.
        var result = await Task.Run(() => _harness.Server.Kubectl([.. args, "--timeout=20s"]));
        Assert.True(result.ExitCode == 0, $"kubectl exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }
}
