using KubeProxyFast.Api.Core;
using KubeProxyFast.Scheduler.Algorithm;
using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler.Tests.Algorithm;

/// <summary>Each score alone: its value as Kubernetes computes it, and the node it makes the algorithm choose when the others are equal.</summary>
public sealed class ScoresTests
{
    private static string? Choose(Pod pod, KeyValuePair<string, string>[] selector, params NodeInfo[] nodes) =>
        new ScheduleAlgorithm(0, new Random(7)).Schedule(PodInfo.From(pod), [.. nodes], selector)?.Name;

    [Fact]
    public void LeastAllocated_FreeShareAfterThePod_AveragedOverCpuAndMemory()
    {
        // cpu: (4000 - 1000 - 1000) * 100 / 4000 = 50; memory: (8Gi - 2Gi - 2Gi) * 100 / 8Gi = 50.
        var node = Build.Info(Build.Node("n", cpu: "4", memory: "8Gi"), Build.Pod("running", "1", "2Gi"));
        Assert.Equal(50, Scores.LeastAllocated(PodInfo.From(Build.Pod("p", "1", "2Gi")), node));

        // A pod without requests counts as 100m and 200Mi.
        Assert.Equal((97 + 97) / 2, Scores.LeastAllocated(PodInfo.From(Build.Pod("p")), Build.Info(Build.Node("n", cpu: "4", memory: "8Gi"))));
    }

    [Fact]
    public void LeastAllocated_Alone_PicksTheEmptierNode() =>
        Assert.Equal("empty", Choose(
            Build.Pod("p", "1", "1Gi"),
            [],
            Build.Info(Build.Node("busy", cpu: "4", memory: "8Gi"), Build.Pod("x", "2", "4Gi")),
            Build.Info(Build.Node("empty", cpu: "4", memory: "8Gi"))));

    [Fact]
    public void BalancedAllocation_EqualFractions_Is100AndSkewLowersIt()
    {
        var pod = PodInfo.From(Build.Pod("p", "1", "2Gi"));

        Assert.Equal(100, Scores.BalancedAllocation(pod, Build.Info(Build.Node("n", cpu: "4", memory: "8Gi"))));
        // cpu 1/2 = 0.5, memory 2/8 = 0.25: 100 * (1 - 0.125) = 87.
        Assert.Equal(87, Scores.BalancedAllocation(pod, Build.Info(Build.Node("n", cpu: "2", memory: "8Gi"))));
        Assert.Equal(0, Scores.BalancedAllocation(PodInfo.From(Build.Pod("besteffort")), Build.Info(Build.Node("n"))));
    }

    [Fact]
    public void BalancedAllocation_Alone_PicksTheNodeItBalances()
    {
        // After the pod both nodes have 50 least-allocated (cpu 50 + memory 50, or 25 + 75); only "balanced" ends at equal fractions.
        var balanced = Build.Info(Build.Node("balanced", cpu: "4", memory: "4Gi"), Build.Pod("x", "1", "1Gi"));
        var skewed = Build.Info(Build.Node("skewed", cpu: "4", memory: "4Gi"), Build.Pod("y", "2", "0"));
        var pod = PodInfo.From(Build.Pod("p", "1", "1Gi"));
        Assert.Equal(Scores.LeastAllocated(pod, balanced), Scores.LeastAllocated(pod, skewed));
        Assert.Equal(75, Scores.BalancedAllocation(pod, skewed));

        Assert.Equal("balanced", Choose(Build.Pod("p", "1", "1Gi"), [], balanced, skewed));
    }

    [Fact]
    public void TaintToleration_PreferNoSchedule_PicksTheNodeWithoutIt()
    {
        var tainted = Build.Info(Build.Node("tainted", taints: [new Taint { Key = "k", Effect = "PreferNoSchedule" }]));
        var clean = Build.Info(Build.Node("clean"));

        Assert.Equal(1, Scores.IntolerablePreferNoSchedule(PodInfo.From(Build.Pod("p")), tainted));
        Assert.Equal("clean", Choose(Build.Pod("p"), [], tainted, clean));
    }

    [Fact]
    public void NodeAffinity_Preferred_PicksTheNodeOfTheHeavierTerms()
    {
        var pod = Build.Pod("p");
        pod.Spec!.Affinity = new Affinity
        {
            NodeAffinity = new NodeAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                [
                    new PreferredSchedulingTerm { Weight = 10, Preference = new() { MatchExpressions = [new() { Key = "disk", Operator = "In", Values = ["ssd"] }] } },
                    new PreferredSchedulingTerm { Weight = 5, Preference = new() { MatchExpressions = [new() { Key = "zone", Operator = "Exists" }] } },
                ],
            },
        };
        var ssd = Build.Info(Build.Node("ssd", labels: new() { ["disk"] = "ssd" }));
        var zoned = Build.Info(Build.Node("zoned", labels: new() { ["zone"] = "a" }));

        Assert.Equal(10, NodeAffinityMatch.PreferredWeight(PodInfo.From(pod), ssd));
        Assert.Equal("ssd", Choose(pod, [], ssd, zoned));
    }

    [Fact]
    public void Spread_Alone_PicksTheNodeWithFewerPodsOfTheSelector()
    {
        var labels = new Dictionary<string, string> { ["app"] = "web" };
        KeyValuePair<string, string>[] selector = [new("app", "web")];
        // "two" carries two of the selected pods, "one" one selected and one other pod: equal resources.
        var two = Build.Info(Build.Node("two"), Build.Pod("a", labels: labels), Build.Pod("b", labels: labels));
        var one = Build.Info(Build.Node("one"), Build.Pod("c", labels: labels), Build.Pod("d", labels: new() { ["app"] = "db" }));

        Assert.Equal(2, Scores.MatchingPods(selector, "default", two));
        Assert.Equal(0, Scores.MatchingPods(selector, "other", two));
        Assert.Equal("one", Choose(Build.Pod("p", labels: labels), selector, two, one));
    }

    [Fact]
    public void NormalizeSpread_AsKubernetes()
    {
        Assert.Equal(100, Scores.NormalizeSpread(raw: 0, min: 0, max: 0));
        Assert.Equal(100, Scores.NormalizeSpread(raw: 4, min: 4, max: 8));
        Assert.Equal(50, Scores.NormalizeSpread(raw: 8, min: 4, max: 8));
    }
}
