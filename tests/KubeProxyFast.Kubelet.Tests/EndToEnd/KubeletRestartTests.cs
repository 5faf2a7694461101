using KubeProxyFast.Kubelet.Tests.EndToEnd.Support;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd;

/// <summary>A kubelet restart adopts what runs (same sandbox, same container, same process) and removes what belongs to pods that are gone.</summary>
[Collection(SharedNodeGroup.Name)]
public sealed class KubeletRestartTests(SharedNode shared)
{
    [Fact]
    public async Task Restart_RunningPod_AdoptedWithoutDuplicates()
    {
        var node = shared.Node;
        var marker = E2e.Unique("adopt-marker");
        var pod = new PodBuilder(node, E2e.Unique("adopt")).Container("c", $"while true; do sleep 1; done # {marker}");
        await node.CreatePodAsync(pod);
        try
        {
            var before = await node.WaitRunningAsync(pod);
            var processes = E2e.ProcessesWith(marker);
            Assert.Single(processes);

            await node.StopKubeletAsync();
            await node.StartKubeletAsync();

            // The new kubelet is at work once it runs a new pod; by then it has synced the old one.
            var probe = new PodBuilder(node, E2e.Unique("after-restart")).Container("c", "exec sleep 3600");
            await node.CreatePodAsync(probe);
            await node.WaitRunningAsync(probe);
            await node.DeleteAsync(probe.PodPath, 0);
            var after = await node.WaitRunningAsync(pod);

            Assert.Equal((string?)E2e.ContainerStatus(before, "c")!["containerID"], (string?)E2e.ContainerStatus(after, "c")!["containerID"]);
            Assert.Equal(E2e.RestartCount(before, "c"), E2e.RestartCount(after, "c"));
            Assert.Equal(E2e.PodIp(before), E2e.PodIp(after));
            Assert.Equal(processes, E2e.ProcessesWith(marker));
        }
        finally
        {
            if (!node.KubeletRunning)
            {
                await node.StartKubeletAsync();
            }

            await node.DeleteAsync(pod.PodPath, 0);
        }
    }

    [Fact]
    public async Task Restart_PodForceDeletedWhileDown_ItsContainersRemoved()
    {
        var node = shared.Node;
        var marker = E2e.Unique("orphan-marker");
        var pod = new PodBuilder(node, E2e.Unique("orphan")).Container("c", $"while true; do sleep 1; done # {marker}");
        await node.CreatePodAsync(pod);
        await node.WaitRunningAsync(pod);
        Assert.Single(E2e.ProcessesWith(marker));

        await node.StopKubeletAsync();
        try
        {
            await node.DeleteAsync(pod.PodPath, gracePeriodSeconds: 0);
            await node.WaitGoneAsync(pod.PodPath, "force-deleted pod gone from the API");
            Assert.Single(E2e.ProcessesWith(marker));
        }
        finally
        {
            await node.StartKubeletAsync();
        }

        await E2e.WaitNoProcessAsync(marker, "the orphan's container removed");
    }
}
