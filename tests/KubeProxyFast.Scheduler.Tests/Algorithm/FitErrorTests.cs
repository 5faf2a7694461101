using KubeProxyFast.Api.Core;
using KubeProxyFast.Scheduler.Algorithm;
using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler.Tests.Algorithm;

/// <summary>Kubernetes' FitError message: counts per reason, sorted as strings, ended with a period, no preemption suffix.</summary>
public sealed class FitErrorTests
{
    [Fact]
    public void FailureMessage_MixedReasons_CountedAndSortedAsKubernetes()
    {
        var pod = Build.Pod("p", "2");
        pod.Spec!.NodeSelector = new() { ["disk"] = "ssd" };
        List<NodeInfo> nodes =
        [
            Build.Info(Build.Node("a", cpu: "1", labels: new() { ["disk"] = "ssd" })),
            Build.Info(Build.Node("b", cpu: "1", labels: new() { ["disk"] = "ssd" })),
            Build.Info(Build.Node("c", cpu: "8", labels: new() { ["disk"] = "hdd" })),
        ];
        var algorithm = new ScheduleAlgorithm(0, new Random(1));

        Assert.Null(algorithm.Schedule(PodInfo.From(pod), nodes, []));
        Assert.Equal(
            "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu.",
            algorithm.FailureMessage(nodes));
    }

    [Fact]
    public void FailureMessage_TaintAndSeveralResources_NamesTheTaintAndEachResource()
    {
        List<NodeInfo> nodes =
        [
            Build.Info(Build.Node("a", cpu: "1", memory: "1Gi")),
            Build.Info(Build.Node("b", taints: [new Taint { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" }])),
            Build.Info(Build.Node("c", unschedulable: true)),
        ];
        var algorithm = new ScheduleAlgorithm(0, new Random(1));

        Assert.Null(algorithm.Schedule(PodInfo.From(Build.Pod("p", "2", "2Gi")), nodes, []));
        Assert.Equal(
            "0/3 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable.",
            algorithm.FailureMessage(nodes));
    }

    [Fact]
    public void FailureMessage_NoNodes_IsKubernetesNoNodesAvailable()
    {
        var algorithm = new ScheduleAlgorithm(0, new Random(1));

        Assert.Null(algorithm.Schedule(PodInfo.From(Build.Pod("p")), [], []));
        Assert.Equal("no nodes available to schedule pods", algorithm.FailureMessage([]));
    }
}
