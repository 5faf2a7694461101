using KubeProxyFast.Kubelet.Tests.EndToEnd.Support;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd;

/// <summary>Graceful deletion: SIGTERM, the grace period, SIGKILL, and the pod leaving the API (the kubelet completes the delete).</summary>
[Collection(SharedNodeGroup.Name)]
public sealed class TerminationTests(SharedNode shared)
{
    [Fact]
    public async Task Delete_ContainerExitsOnSigterm_TermDeliveredAndPodLeavesTheApi()
    {
        var node = shared.Node;
        var marker = E2e.Unique("graceful-marker");
        var pod = new PodBuilder(node, E2e.Unique("graceful")).TerminationGracePeriod(30)
            .Container("c", E2e.Put + $"trap 'echo TERM | put term; exit 0' TERM; echo up | put up; while true; do sleep 1; done # {marker}");
        await node.CreatePodAsync(pod);
        await node.ReadOutAsync(pod, "up");
        await node.WaitRunningAsync(pod);
        Assert.Single(E2e.ProcessesWith(marker));

        await node.DeleteAsync(pod.PodPath);

        await node.WaitGoneAsync(pod.PodPath, $"pod {pod.Name} leaves the API", TimeSpan.FromSeconds(60));
        Assert.Equal("TERM\n", await node.ReadOutAsync(pod, "term"));
        Assert.Empty(E2e.ProcessesWith(marker));
    }

    [Fact]
    public async Task Delete_ContainerIgnoresSigterm_KilledAfterTheGracePeriodAndPodLeavesTheApi()
    {
        var node = shared.Node;
        var marker = E2e.Unique("stubborn-marker");
        var pod = new PodBuilder(node, E2e.Unique("stubborn")).TerminationGracePeriod(30)
            .Container("c", E2e.Put + $"trap '' TERM; echo up | put up; while true; do sleep 1; done # {marker}");
        await node.CreatePodAsync(pod);
        await node.ReadOutAsync(pod, "up");
        await node.WaitRunningAsync(pod);
        Assert.Single(E2e.ProcessesWith(marker));

        await node.DeleteAsync(pod.PodPath, gracePeriodSeconds: 2);

        await node.WaitGoneAsync(pod.PodPath, $"pod {pod.Name} leaves the API", TimeSpan.FromSeconds(60));
        Assert.Empty(E2e.ProcessesWith(marker));
    }
}
