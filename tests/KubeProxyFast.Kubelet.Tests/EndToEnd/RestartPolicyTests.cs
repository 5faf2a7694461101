using KubeProxyFast.Kubelet.Tests.EndToEnd.Support;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd;

/// <summary>restartPolicy as the pod's status shows it: phase, restartCount, lastState and Kubernetes' reasons.</summary>
[Collection(SharedNodeGroup.Name)]
public sealed class RestartPolicyTests(SharedNode shared)
{
    [Fact]
    public async Task Always_CrashingContainer_RestartsWithDoublingBackOffInCrashLoopBackOff()
    {
        var node = shared.Node;
        var pod = new PodBuilder(node, E2e.Unique("crashloop")).Container("c", "exit 1");
        await node.CreatePodAsync(pod);
        try
        {
            // Every waiting state seen, in order: the back-off must go 10 s, then 20 s, as restarts add up.
            var seen = new List<(int Restarts, string? Reason, string? Message)>();
            var last = await node.WaitPodAsync(pod, p =>
            {
                var state = (E2e.RestartCount(p, "c"), E2e.WaitingReason(p, "c"), E2e.WaitingMessage(p, "c"));
                if (seen.Count == 0 || seen[^1] != state)
                {
                    seen.Add(state);
                }

                // Done once the second back-off (20 s, after the second crash) has been shown.
                return state.Item1 >= 2 && seen.Exists(s => s.Reason == "CrashLoopBackOff" && s.Message?.Contains("back-off 20s", StringComparison.Ordinal) == true);
            }, "restarted twice, then backing off 20 s");

            var backOffs = seen.Where(s => s.Reason == "CrashLoopBackOff").ToList();
            Assert.Contains(backOffs, s => s.Message?.Contains("back-off 10s", StringComparison.Ordinal) == true);
            Assert.Contains(backOffs, s => s.Message?.Contains("back-off 20s", StringComparison.Ordinal) == true && s.Restarts >= 1);
            Assert.True(
                backOffs.FindIndex(s => s.Message!.Contains("back-off 10s", StringComparison.Ordinal)) < backOffs.FindLastIndex(s => s.Message!.Contains("back-off 20s", StringComparison.Ordinal)),
                "10 s back-off before 20 s: " + string.Join(" | ", seen));
            var terminated = E2e.ContainerStatus(last, "c")!["lastState"]!["terminated"]!;
            Assert.Equal(1, (int)terminated["exitCode"]!);
            Assert.Equal("Error", (string?)terminated["reason"]);
            Assert.Equal("Running", E2e.Phase(last));
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
        }
    }

    [Fact]
    public async Task Never_FailingContainer_PodFailedWithoutRestart()
    {
        var node = shared.Node;
        var pod = new PodBuilder(node, E2e.Unique("never")).RestartPolicy("Never").Container("c", "exit 3");
        await node.CreatePodAsync(pod);
        try
        {
            var failed = await node.WaitPodAsync(pod, p => E2e.Phase(p) == "Failed", "Failed");

            var status = E2e.ContainerStatus(failed, "c")!;
            Assert.Equal(0, (int)status["restartCount"]!);
            Assert.Equal(3, (int)status["state"]!["terminated"]!["exitCode"]!);
            Assert.Equal("Error", (string?)status["state"]!["terminated"]!["reason"]);
            Assert.Equal("False", Testing.KubeletNode.ConditionOf(failed, "Ready"));
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
        }
    }

    [Fact]
    public async Task OnFailure_SucceedingContainer_PodSucceededCompleted()
    {
        var node = shared.Node;
        var pod = new PodBuilder(node, E2e.Unique("onfailure-ok")).RestartPolicy("OnFailure").Container("c", "exit 0");
        await node.CreatePodAsync(pod);
        try
        {
            var done = await node.WaitPodAsync(pod, p => E2e.Phase(p) == "Succeeded", "Succeeded");

            var status = E2e.ContainerStatus(done, "c")!;
            Assert.Equal(0, (int)status["restartCount"]!);
            Assert.Equal(0, (int)status["state"]!["terminated"]!["exitCode"]!);
            Assert.Equal("Completed", (string?)status["state"]!["terminated"]!["reason"]);
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
        }
    }

    [Fact]
    public async Task OnFailure_FailingContainer_Restarted()
    {
        var node = shared.Node;
        var pod = new PodBuilder(node, E2e.Unique("onfailure-bad")).RestartPolicy("OnFailure").Container("c", "exit 2");
        await node.CreatePodAsync(pod);
        try
        {
            var restarted = await node.WaitPodAsync(pod, p => E2e.RestartCount(p, "c") >= 1, "restarted");

            Assert.NotEqual("Failed", E2e.Phase(restarted));
            Assert.Equal(2, (int)E2e.ContainerStatus(restarted, "c")!["lastState"]!["terminated"]!["exitCode"]!);
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
        }
    }
}
