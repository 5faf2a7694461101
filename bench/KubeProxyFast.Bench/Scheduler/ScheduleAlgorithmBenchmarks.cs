using System.Globalization;
using BenchmarkDotNet.Attributes;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Scheduler.Algorithm;
using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>
/// One scheduling cycle's algorithm (filter + score, no binding) for one pod, as scheduler_perf's
/// SchedulingBasic sets it up: N nodes of 4 CPU / 32 GiB / 110 pods, one pod already bound on
/// each, the pod requesting 100m / 500Mi and belonging to an RC (so spreading counts). With
/// Kubernetes' adaptive percentageOfNodesToScore (0) and with every node scored (100).
/// Expected: no allocation (the arrays are reused across cycles).
/// </summary>
[MemoryDiagnoser]
public class ScheduleAlgorithmBenchmarks
{
    private List<NodeInfo> _nodes = [];
    private PodInfo _pod = null!;
    private KeyValuePair<string, string>[] _selector = [];
    private ScheduleAlgorithm _algorithm = null!;

    /// <summary>Nodes in the cluster.</summary>
    [Params(1000, 5000)]
    public int Nodes { get; set; }

    /// <summary><c>percentageOfNodesToScore</c>: 0 is Kubernetes' adaptive default.</summary>
    [Params(0, 100)]
    public int Percentage { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var labels = new Dictionary<string, string> { ["app"] = "bench" };
        _nodes = [.. Enumerable.Range(0, Nodes).Select(i =>
        {
            var name = "node-" + i.ToString(CultureInfo.InvariantCulture);
            var info = new NodeInfo(name) { Index = i };
            info.SetNode(Node(name));
            info.AddPod(PodInfo.From(Pod("bound-" + i.ToString(CultureInfo.InvariantCulture), labels, name)));
            return info;
        })];
        _pod = PodInfo.From(Pod("new", labels, null));
        _selector = [new("app", "bench")];
        _algorithm = new ScheduleAlgorithm(Percentage, new Random(1));
    }

    [Benchmark(Description = "filter + score one pod")]
    public string? Schedule() => _algorithm.Schedule(_pod, _nodes, _selector)?.Name;

    private static Node Node(string name)
    {
        var allocatable = new Dictionary<string, Quantity>
        {
            ["cpu"] = Quantity.Parse("4"),
            ["memory"] = Quantity.Parse("32Gi"),
            ["pods"] = Quantity.Parse("110"),
        };
        return new Node
        {
            Metadata = new() { Name = name, Labels = new() { ["kubernetes.io/hostname"] = name } },
            Status = new NodeStatus { Allocatable = allocatable, Conditions = [new NodeCondition { Type = "Ready", Status = "True" }] },
        };
    }

    private static Pod Pod(string name, Dictionary<string, string> labels, string? nodeName) => new()
    {
        Metadata = new() { Name = name, Namespace = "default", Labels = labels },
        Spec = new PodSpec
        {
            NodeName = nodeName,
            Containers =
            [
                new Container
                {
                    Name = "pause",
                    Image = "registry.k8s.io/pause:3.9",
                    Resources = new ResourceRequirements { Requests = new() { ["cpu"] = Quantity.Parse("100m"), ["memory"] = Quantity.Parse("500Mi") } },
                },
            ],
        },
    };
}
