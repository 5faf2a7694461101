using KubeProxyFast.Scheduler.Algorithm;
using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler.Tests.Algorithm;

/// <summary>How many nodes a cycle looks at, and where it starts.</summary>
public sealed class ScheduleAlgorithmTests
{
    [Theory]
    [InlineData(0, 50, 50)]
    [InlineData(0, 100, 100)]
    [InlineData(0, 1000, 420)]
    [InlineData(0, 5000, 500)]
    [InlineData(0, 10000, 500)]
    [InlineData(0, 200, 100)]
    [InlineData(30, 1000, 300)]
    [InlineData(100, 5000, 5000)]
    public void NumFeasibleNodesToFind_AsKubernetes(int percentage, int nodes, int expected) =>
        Assert.Equal(expected, ScheduleAlgorithm.NumFeasibleNodesToFind(percentage, nodes));

    [Fact]
    public void Schedule_LargeCluster_StopsAtEnoughFeasibleAndStartsWhereTheLastCycleStopped()
    {
        List<NodeInfo> nodes = [.. Enumerable.Range(0, 300).Select(i => Build.Info(Build.Node($"n{i:D3}")))];
        var algorithm = new ScheduleAlgorithm(0, new Random(3));
        var pod = PodInfo.From(Build.Pod("p"));

        // 300 nodes: 50% - 2% = 48% = 144 nodes per cycle; every node equal, so the choice is among those.
        var first = algorithm.Schedule(pod, nodes, [])!;
        var second = algorithm.Schedule(pod, nodes, [])!;

        Assert.InRange(nodes.IndexOf(first), 0, 143);
        Assert.InRange(nodes.IndexOf(second), 144, 287);
    }
}
