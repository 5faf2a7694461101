using KubeProxyFast.Api.Core;
using KubeProxyFast.Scheduler.Algorithm;
using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler.Tests.Algorithm;

/// <summary>Each filter alone, on nodes that pass every other filter.</summary>
public sealed class FiltersTests
{
    private static FilterFailure Run(Pod pod, Node node, params Pod[] onNode) =>
        Filters.Run(PodInfo.From(pod), Build.Info(node, onNode), out _);

    [Fact]
    public void Run_PlainPodOnReadyNode_Passes() =>
        Assert.Equal(FilterFailure.None, Run(Build.Pod("p", "1", "1Gi"), Build.Node("n")));

    [Fact]
    public void Run_NodeNotReady_IsNotReadyUnlessTheNotReadyTaintIsTolerated()
    {
        var pod = Build.Pod("p");
        Assert.Equal(FilterFailure.NotReady, Run(pod, Build.Node("n", ready: false)));

        pod.Spec!.Tolerations = [new Toleration { Key = "node.kubernetes.io/not-ready", Operator = "Exists" }];
        Assert.Equal(FilterFailure.None, Run(pod, Build.Node("n", ready: false)));
    }

    [Fact]
    public void Run_UnschedulableNode_IsUnschedulableUnlessItsTaintIsTolerated()
    {
        var pod = Build.Pod("p");
        Assert.Equal(FilterFailure.Unschedulable, Run(pod, Build.Node("n", unschedulable: true)));

        pod.Spec!.Tolerations = [new Toleration { Key = "node.kubernetes.io/unschedulable", Operator = "Exists", Effect = "NoSchedule" }];
        Assert.Equal(FilterFailure.None, Run(pod, Build.Node("n", unschedulable: true)));
    }

    [Fact]
    public void Run_OtherNodeName_DoesNotMatch()
    {
        var pod = Build.Pod("p");
        pod.Spec!.NodeName = "n2";

        Assert.Equal(FilterFailure.NodeName, Run(pod, Build.Node("n1")));
        Assert.Equal(FilterFailure.None, Run(pod, Build.Node("n2")));
    }

    [Theory]
    [InlineData("NoSchedule", null, null, false)]
    [InlineData("NoExecute", null, null, false)]
    [InlineData("PreferNoSchedule", null, null, true)]
    [InlineData("NoSchedule", "Equal", "gpu", true)]
    [InlineData("NoSchedule", "Equal", "cpu", false)]
    [InlineData("NoExecute", "Exists", null, true)]
    public void Run_Taint_FiltersUnlessTolerated(string effect, string? op, string? value, bool fits)
    {
        var pod = Build.Pod("p");
        if (op is not null)
        {
            pod.Spec!.Tolerations = [new Toleration { Key = "dedicated", Operator = op, Value = value }];
        }

        var node = Build.Node("n", taints: [new Taint { Key = "dedicated", Value = "gpu", Effect = effect }]);
        Assert.Equal(fits ? FilterFailure.None : FilterFailure.UntoleratedTaint, Run(pod, node));
    }

    [Fact]
    public void Run_NodeSelector_MustMatchEveryLabel()
    {
        var pod = Build.Pod("p");
        pod.Spec!.NodeSelector = new() { ["disk"] = "ssd", ["zone"] = "a" };

        Assert.Equal(FilterFailure.NodeAffinity, Run(pod, Build.Node("n", labels: new() { ["disk"] = "ssd" })));
        Assert.Equal(FilterFailure.None, Run(pod, Build.Node("n", labels: new() { ["disk"] = "ssd", ["zone"] = "a", ["x"] = "y" })));
    }

    [Theory]
    [InlineData("In", new[] { "ssd", "nvme" }, "ssd", true)]
    [InlineData("In", new[] { "nvme" }, "ssd", false)]
    [InlineData("NotIn", new[] { "ssd" }, null, true)]
    [InlineData("NotIn", new[] { "ssd" }, "ssd", false)]
    [InlineData("Exists", new string[0], "hdd", true)]
    [InlineData("DoesNotExist", new string[0], "hdd", false)]
    [InlineData("Gt", new[] { "5" }, "8", true)]
    [InlineData("Lt", new[] { "5" }, "8", false)]
    [InlineData("Gt", new[] { "5" }, "eight", false)]
    public void Run_RequiredNodeAffinity_MatchesOperators(string op, string[] values, string? label, bool fits)
    {
        var pod = Build.Pod("p");
        pod.Spec!.Affinity = new Affinity
        {
            NodeAffinity = new NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector
                {
                    NodeSelectorTerms = [new NodeSelectorTerm { MatchExpressions = [new() { Key = "disk", Operator = op, Values = [.. values] }] }],
                },
            },
        };
        var node = Build.Node("n", labels: label is null ? [] : new() { ["disk"] = label });

        Assert.Equal(fits ? FilterFailure.None : FilterFailure.NodeAffinity, Run(pod, node));
    }

    [Fact]
    public void Run_RequiredTerms_AreOredAndMatchFieldsNamesTheNode()
    {
        var pod = Build.Pod("p");
        pod.Spec!.Affinity = new Affinity
        {
            NodeAffinity = new NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new NodeSelectorTerm { MatchExpressions = [new() { Key = "disk", Operator = "Exists" }] },
                        new NodeSelectorTerm { MatchFields = [new() { Key = "metadata.name", Operator = "In", Values = ["n2"] }] },
                    ],
                },
            },
        };

        Assert.Equal(FilterFailure.NodeAffinity, Run(pod, Build.Node("n1", labels: [])));
        Assert.Equal(FilterFailure.None, Run(pod, Build.Node("n2", labels: [])));
        Assert.Equal(FilterFailure.None, Run(pod, Build.Node("n3", labels: new() { ["disk"] = "x" })));
    }

    [Fact]
    public void Run_HostPortInUse_Conflicts()
    {
        var node = Build.Node("n");

        Assert.Equal(FilterFailure.HostPorts, Run(Build.Pod("p", hostPort: 8080), node, Build.Pod("other", hostPort: 8080)));
        Assert.Equal(FilterFailure.None, Run(Build.Pod("p", hostPort: 8081), node, Build.Pod("other", hostPort: 8080)));
    }

    [Fact]
    public void Run_Resources_EachShortfallIsReported()
    {
        var node = Build.Node("n", cpu: "2", memory: "2Gi", pods: 2);
        var running = Build.Pod("running", "1500m", "1Gi");

        Assert.Equal(FilterFailure.None, Run(Build.Pod("p", "500m", "1Gi"), node, running));
        Assert.Equal(FilterFailure.InsufficientCpu, Run(Build.Pod("p", "501m"), node, running));
        Assert.Equal(FilterFailure.InsufficientCpu | FilterFailure.InsufficientMemory, Run(Build.Pod("p", "1", "2Gi"), node, running));
        Assert.Equal(FilterFailure.TooManyPods, Run(Build.Pod("p"), node, running, Build.Pod("second")));
    }

    [Fact]
    public void Run_NodeWithoutPodsAllocatable_HasNoRoom() =>
        Assert.Equal(FilterFailure.TooManyPods, Run(Build.Pod("p"), Build.Node("n", pods: 0)));
}
