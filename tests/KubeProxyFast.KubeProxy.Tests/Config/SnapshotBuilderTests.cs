using System.Collections.Immutable;
using System.Net;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Config;
using static KubeProxyFast.KubeProxy.Tests.Support.Objects;

namespace KubeProxyFast.KubeProxy.Tests.Config;

public sealed class SnapshotBuilderTests
{
    private static ServicePortSpec Single(SnapshotBuildResult result)
    {
        Assert.Empty(result.Errors);
        return Assert.Single(result.Snapshot!.Ports);
    }

    private static ServicePortSpec Find(SnapshotBuildResult result, string service, string port)
    {
        Assert.Empty(result.Errors);
        return result.Snapshot!.Find(new ServicePortId("default", service, port))
            ?? throw new Xunit.Sdk.XunitException($"no service port default/{service}:{port}");
    }

    // Strings, not IPEndPoints: xunit would compare the ImmutableArray as a span, by reference.
    private static IEnumerable<string> Texts(ImmutableArray<IPEndPoint> endpoints) => endpoints.Select(e => e.ToString());

    [Fact]
    public void Build_NamedPorts_MatchesEndpointPortsByNameNotByPosition()
    {
        var service = Service("web", "198.18.0.10", Port("http", 80), Port("metrics", 9090));
        // The subset lists its ports in the other order: only the names tie them to the service's.
        var endpoints = Endpoints("web", Subset(
            ["198.18.1.1", "198.18.1.2"], [EndpointPort("metrics", 19090), EndpointPort("http", 18080)]));

        var result = SnapshotBuilder.Build([service, endpoints]);

        Assert.Equal(["198.18.1.1:18080", "198.18.1.2:18080"], Texts(Find(result, "web", "http").Endpoints));
        Assert.Equal(["198.18.1.1:19090", "198.18.1.2:19090"], Texts(Find(result, "web", "metrics").Endpoints));
        Assert.Equal(80, Find(result, "web", "http").Port);
        Assert.Equal(IPAddress.Parse("198.18.0.10"), Find(result, "web", "http").ClusterIP);
    }

    [Fact]
    public void Build_NotReadyAddresses_AreNotEndpoints()
    {
        var result = SnapshotBuilder.Build([
            Service("web", "198.18.0.10", Port("http", 80)),
            Endpoints("web", Subset(["198.18.1.1"], [EndpointPort("http", 8080)], notReady: ["198.18.1.2"])),
        ]);

        Assert.Equal(["198.18.1.1:8080"], Texts(Single(result).Endpoints));
    }

    [Fact]
    public void Build_SubsetWithOnlyNotReadyAddresses_GivesNoEndpoints()
    {
        var subset = Subset([], [EndpointPort("http", 8080)], notReady: ["198.18.1.2"]);
        subset.Addresses = null;

        var result = SnapshotBuilder.Build([Service("web", "198.18.0.10", Port("http", 80)), Endpoints("web", subset)]);

        Assert.Empty(Single(result).Endpoints);
    }

    [Fact]
    public void Build_SeveralSubsets_MergesDeduplicatesAndSortsNumerically()
    {
        var result = SnapshotBuilder.Build([
            Service("web", "198.18.0.10", Port("http", 80)),
            Endpoints("web",
                Subset(["198.18.1.10", "198.18.1.9"], [EndpointPort("http", 8080)]),
                Subset(["198.18.1.9", "198.18.1.1"], [EndpointPort("http", 8080)]),
                Subset(["198.18.1.1"], [EndpointPort("http", 7070)])),
        ]);

        Assert.Equal(["198.18.1.1:7070", "198.18.1.1:8080", "198.18.1.9:8080", "198.18.1.10:8080"], Texts(Single(result).Endpoints));
    }

    [Fact]
    public void Build_EndpointPortOfAnotherProtocol_IsNotMatched()
    {
        var result = SnapshotBuilder.Build([
            Service("dns", "198.18.0.53", Port("dns", 53, "UDP")),
            Endpoints("dns", Subset(["198.18.1.1"], [EndpointPort("dns", 5353, "TCP")])),
        ]);

        Assert.Empty(Single(result).Endpoints);
    }

    [Fact]
    public void Build_UdpPort_IsUdpAndMatchesUdpEndpointPort()
    {
        var result = SnapshotBuilder.Build([
            Service("dns", "198.18.0.53", Port("dns", 53, "UDP")),
            Endpoints("dns", Subset(["198.18.1.1"], [EndpointPort("dns", 5353, "UDP")])),
        ]);

        var port = Single(result);
        Assert.Equal(L4Protocol.Udp, port.Protocol);
        Assert.Equal(["198.18.1.1:5353"], Texts(port.Endpoints));
    }

    [Fact]
    public void Build_NoProtocol_DefaultsToTcp()
    {
        var result = SnapshotBuilder.Build([Service("web", "198.18.0.10", Port("http", 80))]);

        Assert.Equal(L4Protocol.Tcp, Single(result).Protocol);
    }

    [Fact]
    public void Build_UnnamedSinglePort_MatchesUnnamedEndpointPortWithEmptyPortId()
    {
        var result = SnapshotBuilder.Build([
            Service("web", "198.18.0.10", Port(null, 80)),
            Endpoints("web", Subset(["198.18.1.1"], [EndpointPort(null, 8080)])),
        ]);

        var port = Single(result);
        Assert.Equal("default/web:", port.Id.ToString());
        Assert.Equal(["198.18.1.1:8080"], Texts(port.Endpoints));
    }

    [Fact]
    public void Build_ServiceWithoutEndpointsObject_HasNoEndpoints()
    {
        var other = Endpoints("web", Subset(["198.18.1.1"], [EndpointPort("http", 8080)]));
        other.Metadata.Namespace = "elsewhere";

        var result = SnapshotBuilder.Build([Service("web", "198.18.0.10", Port("http", 80)), other]);

        Assert.Empty(Single(result).Endpoints);
    }

    [Fact]
    public void Build_ClientIPAffinityWithoutConfig_UsesKubernetesDefaultTimeout()
    {
        var service = Service("web", "198.18.0.10", Port("http", 80));
        service.Spec!.SessionAffinity = "ClientIP";

        var result = SnapshotBuilder.Build([service]);

        Assert.Equal(SessionAffinity.ForClientIP(TimeSpan.FromSeconds(10800)), Single(result).Affinity);
    }

    [Fact]
    public void Build_ClientIPAffinityWithTimeout_UsesTheTimeout()
    {
        var service = Service("web", "198.18.0.10", Port("http", 80));
        service.Spec!.SessionAffinity = "ClientIP";
        service.Spec.SessionAffinityConfig = new SessionAffinityConfig { ClientIP = new ClientIPConfig { TimeoutSeconds = 60 } };

        var result = SnapshotBuilder.Build([service]);

        Assert.Equal(SessionAffinity.ForClientIP(TimeSpan.FromSeconds(60)), Single(result).Affinity);
    }

    [Fact]
    public void Build_NoAffinity_IsNone()
    {
        var result = SnapshotBuilder.Build([Service("web", "198.18.0.10", Port("http", 80))]);

        Assert.Equal(SessionAffinity.None, Single(result).Affinity);
    }

    [Theory]
    [InlineData("NodePort")]
    [InlineData("LoadBalancer")]
    public void Build_NodePortAndLoadBalancer_CarryTheNodePort(string type)
    {
        var service = Service("web", "198.18.0.10", Port("http", 80, nodePort: 30080));
        service.Spec!.Type = type;

        var result = SnapshotBuilder.Build([service]);

        Assert.Equal(30080, Single(result).NodePort);
    }

    [Fact]
    public void Build_NodePortServiceWithoutNodePort_WarnsAndOpensNone()
    {
        var service = Service("web", "198.18.0.10", Port("http", 80));
        service.Spec!.Type = "NodePort";

        var result = SnapshotBuilder.Build([service]);

        Assert.Null(Single(result).NodePort);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("spec.ports[0].nodePort", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ClusterIPService_HasNoNodePort()
    {
        var result = SnapshotBuilder.Build([Service("web", "198.18.0.10", Port("http", 80))]);

        Assert.Null(Single(result).NodePort);
    }

    [Fact]
    public void Build_ExternalIPs_AreCarriedOnEveryPort()
    {
        var service = Service("web", "198.18.0.10", Port("http", 80), Port("https", 443));
        service.Spec!.ExternalIPs = ["198.18.1.1", "198.18.1.2"];

        var result = SnapshotBuilder.Build([service]);

        IPAddress[] expected = [IPAddress.Parse("198.18.1.1"), IPAddress.Parse("198.18.1.2")];
        Assert.Equal(expected, Find(result, "web", "http").ExternalIPs);
        Assert.Equal(expected, Find(result, "web", "https").ExternalIPs);
    }

    [Fact]
    public void Build_HeadlessService_IsSkipped()
    {
        var result = SnapshotBuilder.Build([
            Service("db", "None", Port("sql", 5432)),
            Endpoints("db", Subset(["198.18.1.1"], [EndpointPort("sql", 5432)])),
        ]);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Snapshot!.Ports);
    }

    [Fact]
    public void Build_StandaloneServiceWithoutClusterIP_IsAnErrorNamingTheService()
    {
        var result = SnapshotBuilder.Build([Service("web", null, Port("http", 80))]);

        Assert.Null(result.Snapshot);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("Service \"web\" is invalid: spec.clusterIP: Required value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FromApiServerServiceWithoutClusterIP_IsSkippedUntilAllocated()
    {
        var result = SnapshotBuilder.Build([Service("web", "", Port("http", 80)), Service("api", "198.18.0.11", Port("http", 80))], standalone: false);

        Assert.Empty(result.Errors);
        Assert.Equal("default/api:http", Assert.Single(result.Snapshot!.Ports).Id.ToString());
    }

    [Fact]
    public void Build_InvalidObject_RejectsEverythingWithKubernetesWording()
    {
        var result = SnapshotBuilder.Build([
            Service("good", "198.18.0.10", Port("http", 80)),
            Service("bad", "198.18.0.11", Port("http", 70000)),
        ]);

        Assert.Null(result.Snapshot);
        var error = Assert.Single(result.Errors);
        Assert.Equal(
            "Service \"bad\" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
            error.Message);
        Assert.Equal("bad", error.ApiObject!.Metadata.Name);
    }

    [Fact]
    public void Build_SeveralInvalidObjects_ReportsEveryOne()
    {
        var badEndpoints = Endpoints("web", Subset(["198.18.1.300"], [EndpointPort("http", 8080)]));

        var result = SnapshotBuilder.Build([Service("web", "198.18.0.10", Port("http", 0)), badEndpoints]);

        Assert.Equal(2, result.Errors.Count);
        Assert.Contains("spec.ports[0].port: Invalid value: 0", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("Endpoints \"web\" is invalid: subsets[0].addresses[0].ip: Invalid value: \"198.18.1.300\"",
            result.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameServiceTwice_IsADuplicate()
    {
        var result = SnapshotBuilder.Build([
            Service("web", "198.18.0.10", Port("http", 80)),
            Service("web", "198.18.0.11", Port("http", 80)),
        ]);

        Assert.Null(result.Snapshot);
        Assert.StartsWith("Service \"web\" is invalid: metadata.name: Duplicate value: \"web\"",
            Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TwoServicesOnOneAddress_BlamesTheLaterNamingTheEarlier()
    {
        var result = SnapshotBuilder.Build([
            Service("first", "198.18.0.10", Port("http", 80)),
            Service("second", "198.18.0.10", Port("web", 80)),
        ]);

        Assert.Null(result.Snapshot);
        Assert.Equal(
            "Service \"second\" is invalid: spec.ports[0].port: Invalid value: 80: 198.18.0.10:80/TCP is already served by default/first:http",
            Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Build_SamePortNumberOverTcpAndUdp_IsNoConflict()
    {
        var result = SnapshotBuilder.Build([
            Service("dns", "198.18.0.53", Port("dns-udp", 53, "UDP"), Port("dns-tcp", 53, "TCP")),
        ]);

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Snapshot!.Ports.Length);
    }

    [Fact]
    public void Build_SameNodePortTwice_IsRejected()
    {
        var a = Service("a", "198.18.0.10", Port("http", 80, nodePort: 30080));
        var b = Service("b", "198.18.0.11", Port("http", 80, nodePort: 30080));
        a.Spec!.Type = b.Spec!.Type = "NodePort";

        var result = SnapshotBuilder.Build([a, b]);

        Assert.StartsWith("Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated",
            Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OtherKinds_AreIgnoredWithAWarning()
    {
        var pod = new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta { Name = "p", Namespace = "default" },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "nginx" }] },
        };

        var result = SnapshotBuilder.Build([pod, Service("web", "198.18.0.10", Port("http", 80))]);

        Assert.Single(result.Snapshot!.Ports);
        Assert.Contains("Pod \"p\" is ignored", Assert.Single(result.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameObjectsInAnotherOrder_GiveAnEqualSnapshot()
    {
        var service = Service("web", "198.18.0.10", Port("http", 80), Port("admin", 81));
        var endpoints = Endpoints("web", Subset(["198.18.1.2", "198.18.1.1"], [EndpointPort("admin", 8081), EndpointPort("http", 8080)]));

        var one = SnapshotBuilder.Build([service, endpoints]).Snapshot!;
        var two = SnapshotBuilder.Build([endpoints, service]).Snapshot!;

        Assert.True(SnapshotDiff.Compute(one, two).IsEmpty);
    }
}
