using System.Collections.Immutable;
using System.Net;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Tests.Netfilter;

internal static class NetfilterSpecs
{
    public static ServicePortSpec Tcp(string name, string clusterIP, int port, params IPEndPoint[] endpoints) => new()
    {
        Id = new ServicePortId("default", name, "http"),
        Protocol = L4Protocol.Tcp,
        ClusterIP = IPAddress.Parse(clusterIP),
        Port = port,
        Endpoints = [.. endpoints.OrderBy(e => e.ToString(), StringComparer.Ordinal)],
    };

    public static ProxySnapshot SnapshotOf(params ServicePortSpec[] ports) => new(ports.ToImmutableArray());
}
