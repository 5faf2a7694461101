using BenchmarkDotNet.Attributes;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Controllers.Endpoints;

namespace KubeProxyFast.Bench.Controllers;

/// <summary>
/// The endpoints controller's work for one sync of a service of 1,000 pods (two ports, one a named
/// targetPort resolved per pod; one pod in ten not ready): computing the canonical subsets from
/// the pods' projections, comparing them with what is stored (the sync that writes nothing), and
/// projecting one changed pod. Kubernetes' own controller has no C# peer to stand beside it.
/// </summary>
[MemoryDiagnoser]
public class EndpointsBenchmarks
{
    private const int Pods = 1000;
    private Service _service = new();
    private EndpointPod[] _pods = [];
    private Pod _pod = new();
    private List<EndpointSubset> _stored = [];

    [GlobalSetup]
    public void Setup()
    {
        _service = new Service
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "default" },
            Spec = new ServiceSpec
            {
                Selector = new() { ["app"] = "web" },
                ClusterIP = "198.19.0.10",
                Ports =
                [
                    new ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = IntOrString.FromString("http") },
                    new ServicePort { Name = "metrics", Port = 9100, Protocol = "TCP", TargetPort = IntOrString.FromInt(9100) },
                ],
            },
        };
        var pods = new Pod[Pods];
        for (var i = 0; i < Pods; i++)
        {
            pods[i] = MakePod(i);
        }

        _pod = pods[0];
        _pods = Array.ConvertAll(pods, EndpointPod.From);
        _stored = EndpointSubsetsBuilder.Build(_service, _pods);
    }

    [Benchmark(Description = "subsets of a service of 1,000 pods")]
    public List<EndpointSubset> BuildSubsets() => EndpointSubsetsBuilder.Build(_service, _pods);

    [Benchmark(Description = "subsets of 1,000 pods + compare with stored (no write)")]
    public bool BuildAndCompare() => EndpointsEquality.SubsetsEqual(_stored, EndpointSubsetsBuilder.Build(_service, _pods));

    [Benchmark(Description = "projection of one changed pod")]
    public object ProjectPod() => EndpointPod.From(_pod);

    private static Pod MakePod(int i) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = $"web-{i}",
            Namespace = "default",
            Uid = Guid.NewGuid().ToString(),
            ResourceVersion = (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Labels = new() { ["app"] = "web", ["pod-template-hash"] = "7d9f8c" },
        },
        Spec = new PodSpec
        {
            NodeName = $"node-{i % 50}",
            Containers =
            [
                new Container
                {
                    Name = "web",
                    Image = "nginx",
                    Ports = [new ContainerPort { Name = "http", Number = 8080, Protocol = "TCP" }, new ContainerPort { Name = "metrics", Number = 9100, Protocol = "TCP" }],
                },
            ],
        },
        Status = new PodStatus
        {
            Phase = PodPhases.Running,
            PodIP = $"198.18.{i / 250}.{(i % 250) + 1}",
            PodIPs = [new PodIP { Ip = $"198.18.{i / 250}.{(i % 250) + 1}" }],
            Conditions = [new PodCondition { Type = PodConditionTypes.Ready, Status = i % 10 == 0 ? "False" : "True", LastTransitionTime = DateTimeOffset.UnixEpoch }],
        },
    };
}
