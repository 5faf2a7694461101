using System.Collections.Immutable;
using System.Net;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Tests.Support;

internal static class Specs
{
    public static ServicePortSpec Tcp(string name, IPEndPoint service, params IPEndPoint[] endpoints) => new()
    {
        Id = new ServicePortId("default", name, "http"),
        Protocol = L4Protocol.Tcp,
        ClusterIP = service.Address,
        Port = service.Port,
        Endpoints = [.. endpoints],
    };

    public static ServicePortSpec Udp(string name, IPEndPoint service, params IPEndPoint[] endpoints) =>
        Tcp(name, service, endpoints) with { Protocol = L4Protocol.Udp, Id = new ServicePortId("default", name, "dns") };

    public static ProxySnapshot Snapshot(params ServicePortSpec[] ports) => new(ports.ToImmutableArray());
}
