using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.KubeProxy.Tests.Support;

/// <summary>v1 objects built in code, for the pure tests.</summary>
internal static class Objects
{
    public static Service Service(string name, string? clusterIP, params ServicePort[] ports) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new ServiceSpec { ClusterIP = clusterIP, Ports = [.. ports] },
    };

    public static ServicePort Port(string? name, int port, string? protocol = null, int? nodePort = null) =>
        new() { Name = name, Port = port, Protocol = protocol, NodePort = nodePort };

    public static Endpoints Endpoints(string name, params EndpointSubset[] subsets) => new()
    {
        ApiVersion = "v1",
        Kind = "Endpoints",
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Subsets = [.. subsets],
    };

    public static EndpointSubset Subset(string[] ready, EndpointPort[] ports, string[]? notReady = null) => new()
    {
        Addresses = [.. ready.Select(ip => new EndpointAddress { Ip = ip })],
        NotReadyAddresses = notReady is null ? null : [.. notReady.Select(ip => new EndpointAddress { Ip = ip })],
        Ports = [.. ports],
    };

    public static EndpointPort EndpointPort(string? name, int port, string? protocol = null) =>
        new() { Name = name, Port = port, Protocol = protocol };
}
