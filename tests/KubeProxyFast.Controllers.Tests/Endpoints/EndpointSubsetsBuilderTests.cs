using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Controllers.Endpoints;

namespace KubeProxyFast.Controllers.Tests.Endpoints;

public sealed class EndpointSubsetsBuilderTests
{
    [Fact]
    public void Build_AddressesSortedAsKubernetesSortsIpText_ByteOrder()
    {
        var pods = new[] { Pod("a", "198.18.0.9"), Pod("b", "198.18.0.10"), Pod("c", "198.18.0.2") };

        var subsets = EndpointSubsetsBuilder.Build(Service(ports: [TcpPort(null, 80)]), pods);

        Assert.Equal(["198.18.0.10", "198.18.0.2", "198.18.0.9"], Assert.Single(subsets).Addresses!.Select(a => a.Ip));
    }

    [Fact]
    public void Build_PortsWithTheSameAddresses_ShareOneSubsetSortedByName()
    {
        var pods = new[] { Pod("a", "198.18.0.1"), Pod("b", "198.18.0.2", ready: false) };

        var subsets = EndpointSubsetsBuilder.Build(Service(ports: [TcpPort("web", 80), TcpPort("admin", 81)]), pods);

        var subset = Assert.Single(subsets);
        Assert.Equal(["admin", "web"], subset.Ports!.Select(p => p.Name));
        Assert.Equal("198.18.0.1", Assert.Single(subset.Addresses!).Ip);
        Assert.Equal("198.18.0.2", Assert.Single(subset.NotReadyAddresses!).Ip);
    }

    [Fact]
    public void Build_PodsWithoutIpOrTerminal_LeftOut()
    {
        var succeeded = PodObject("done", "198.18.0.2");
        succeeded.Status!.Phase = PodPhases.Succeeded;
        var pods = new[] { Pod("no-ip", null), EndpointPod.From(succeeded), Pod("ok", "198.18.0.3") };

        var subsets = EndpointSubsetsBuilder.Build(Service(ports: [TcpPort(null, 80)]), pods);

        Assert.Equal("198.18.0.3", Assert.Single(Assert.Single(subsets).Addresses!).Ip);
    }

    [Fact]
    public void Build_Ipv6Service_PicksEachPodsIpv6AddressAndSkipsPodsWithout()
    {
        var dual = PodObject("dual", "198.18.0.1");
        dual.Status!.PodIPs = [new PodIP { Ip = "198.18.0.1" }, new PodIP { Ip = "fd00::1" }];
        var service = Service(ports: [TcpPort(null, 80)]);
        service.Spec!.ClusterIP = "fd00:1::10";

        var subsets = EndpointSubsetsBuilder.Build(service, [EndpointPod.From(dual), Pod("v4", "198.18.0.2")]);

        Assert.Equal("fd00::1", Assert.Single(Assert.Single(subsets).Addresses!).Ip);
    }

    [Fact]
    public void Build_AppProtocol_CopiedFromTheServicePort()
    {
        var port = TcpPort("web", 80);
        port.UnknownFields = new() { ["appProtocol"] = System.Text.Json.JsonDocument.Parse("\"http\"").RootElement.Clone() };

        var subsets = EndpointSubsetsBuilder.Build(Service(ports: [port]), [Pod("a", "198.18.0.1")]);

        Assert.Equal("http", Assert.Single(Assert.Single(subsets).Ports!).UnknownFields!["appProtocol"].GetString());
    }

    [Fact]
    public void Truncate_OverCapacityReady_KeepsMaxCapacityReadyAndNoNotReady()
    {
        var pods = Enumerable.Range(0, 1200).Select(i => Pod($"p{i}", Ip(i), ready: i < 1100)).ToArray();
        var subsets = EndpointSubsetsBuilder.Build(Service(ports: [TcpPort(null, 80)]), pods);

        Assert.True(EndpointsCapacity.Truncate(subsets));

        Assert.Equal(EndpointsCapacity.MaxCapacity, Assert.Single(subsets).Addresses!.Count);
        Assert.Null(subsets[0].NotReadyAddresses);
    }

    [Fact]
    public void Truncate_ReadyFitButNotAll_KeepsEveryReadyAndFillsWithNotReady()
    {
        var pods = Enumerable.Range(0, 1200).Select(i => Pod($"p{i}", Ip(i), ready: i < 900)).ToArray();
        var subsets = EndpointSubsetsBuilder.Build(Service(ports: [TcpPort(null, 80)]), pods);

        Assert.True(EndpointsCapacity.Truncate(subsets));

        Assert.Equal(900, subsets[0].Addresses!.Count);
        Assert.Equal(100, subsets[0].NotReadyAddresses!.Count);
        Assert.False(EndpointsCapacity.Truncate(subsets));
    }

    [Fact]
    public void Format_WholeAndFractionalSeconds_AsGoRfc3339Nano()
    {
        var whole = new DateTimeOffset(2026, 12, 6, 18, 0, 0, TimeSpan.FromHours(1));

        Assert.Equal("2026-12-06T17:00:00Z", TriggerTimeTracker.Format(whole));
        Assert.Equal("2026-12-06T17:00:00.5Z", TriggerTimeTracker.Format(whole.AddMilliseconds(500)));
    }

    [Fact]
    public void Compute_FirstSyncThenChanges_CreationThenEarliestChangedTriggerOrNone()
    {
        var tracker = new TriggerTimeTracker();
        var created = new DateTimeOffset(2026, 12, 6, 17, 0, 0, TimeSpan.Zero);
        var a = Pod("a", "198.18.0.1", readySince: created.AddMinutes(1));
        var b = Pod("b", "198.18.0.2", readySince: created.AddMinutes(2));

        Assert.Equal(created, tracker.Compute("default/web", created, [a, b]));
        Assert.Null(tracker.Compute("default/web", created, [a, b]));

        var a2 = Pod("a", "198.18.0.1", readySince: created.AddMinutes(5));
        var b2 = Pod("b", "198.18.0.2", readySince: created.AddMinutes(4));
        Assert.Equal(created.AddMinutes(4), tracker.Compute("default/web", created, [a2, b2]));
    }

    private static string Ip(int i) => $"198.18.{i / 250}.{(i % 250) + 1}";

    private static Service Service(ServicePort[] ports) => new()
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = "default" },
        Spec = new ServiceSpec { Selector = new() { ["app"] = "web" }, Ports = [.. ports], ClusterIP = "198.19.0.10" },
    };

    private static ServicePort TcpPort(string? name, int port) => new() { Name = name, Port = port, Protocol = "TCP", TargetPort = IntOrString.FromInt(port) };

    private static EndpointPod Pod(string name, string? ip, bool ready = true, DateTimeOffset? readySince = null) => EndpointPod.From(PodObject(name, ip, ready, readySince));

    private static Pod PodObject(string name, string? ip, bool ready = true, DateTimeOffset? readySince = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default", Uid = "uid-" + name, ResourceVersion = "1", Labels = new() { ["app"] = "web" } },
        Spec = new PodSpec { NodeName = "n1", Containers = [new Container { Name = "c" }] },
        Status = new PodStatus
        {
            Phase = PodPhases.Running,
            PodIP = ip,
            Conditions = [new PodCondition { Type = PodConditionTypes.Ready, Status = ready ? "True" : "False", LastTransitionTime = readySince }],
        },
    };
}
