using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler.Tests.Cache;

/// <summary>Assumed pods: counted at once, confirmed by the watch, forgotten on failure, expired when never seen.</summary>
public sealed class SchedulerCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AssumePod_CountsItsRequestsAndForgetFreesThem()
    {
        var cache = new SchedulerCache();
        cache.SetNode(Build.Node("n"));
        var pod = PodInfo.From(Build.Pod("p", "1", "1Gi", hostPort: 80));

        cache.AssumePod(pod, "n", 1);
        var node = cache.GetNode("n")!;
        Assert.Equal((1000, 1L << 30, 1, 1), (node.RequestedMilliCpu, node.RequestedMemory, node.Pods.Count, node.UsedPorts.Count));

        cache.ForgetPod(pod.Key, 1);
        Assert.Equal((0, 0L, 0, 0), (node.RequestedMilliCpu, node.RequestedMemory, node.Pods.Count, node.UsedPorts.Count));
    }

    [Fact]
    public void SetBoundPod_ConfirmsTheAssumedPodWhichThenNeverExpires()
    {
        var cache = new SchedulerCache();
        cache.SetNode(Build.Node("n"));
        var pod = Build.Pod("p", "1");
        cache.AssumePod(PodInfo.From(pod), "n", 1);
        cache.FinishBinding("default/p", Now);

        pod.Spec!.NodeName = "n";
        cache.SetBoundPod(PodInfo.From(pod));

        Assert.False(cache.IsAssumed("default/p"));
        Assert.Equal(0, cache.CleanupExpired(Now.AddHours(1)));
        Assert.Equal(1000, cache.GetNode("n")!.RequestedMilliCpu);
    }

    [Fact]
    public void CleanupExpired_BoundButNeverSeen_IsForgottenAfterItsDeadline()
    {
        var cache = new SchedulerCache();
        cache.SetNode(Build.Node("n"));
        cache.AssumePod(PodInfo.From(Build.Pod("p", "1")), "n", 1);
        Assert.Equal(0, cache.CleanupExpired(Now.AddHours(1)));

        cache.FinishBinding("default/p", Now);

        Assert.Equal(1, cache.CleanupExpired(Now));
        Assert.Equal(0, cache.GetNode("n")!.RequestedMilliCpu);
    }

    [Fact]
    public void ForgetPod_OfAnEarlierAttempt_KeepsTheLaterAssumption()
    {
        var cache = new SchedulerCache();
        cache.SetNode(Build.Node("n"));
        var pod = PodInfo.From(Build.Pod("p", "1"));
        cache.AssumePod(pod, "n", 1);
        cache.AssumePod(pod, "n", 2);

        cache.ForgetPod(pod.Key, 1);

        Assert.True(cache.IsAssumed(pod.Key));
        Assert.Equal(1000, cache.GetNode("n")!.RequestedMilliCpu);
        cache.ForgetPod(pod.Key, 2);
        Assert.False(cache.IsAssumed(pod.Key));
    }

    [Fact]
    public void CleanupExpired_NoTimeToLive_NeverForgetsABoundPod()
    {
        var cache = new SchedulerCache();
        cache.SetNode(Build.Node("n"));
        cache.AssumePod(PodInfo.From(Build.Pod("p", "1")), "n", 1);
        cache.FinishBinding("default/p", null);

        Assert.Equal(0, cache.CleanupExpired(Now.AddDays(365)));
        Assert.True(cache.IsAssumed("default/p"));
    }

    [Fact]
    public void SetNode_AfterItsPods_CountsThem()
    {
        var cache = new SchedulerCache();
        var pod = Build.Pod("p", "1");
        pod.Spec!.NodeName = "late";
        cache.SetBoundPod(PodInfo.From(pod));

        cache.SetNode(Build.Node("late"));

        Assert.Equal(1000, cache.GetNode("late")!.RequestedMilliCpu);
    }
}
