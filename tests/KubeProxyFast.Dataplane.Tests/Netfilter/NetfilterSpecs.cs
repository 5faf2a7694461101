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

    /// <summary>N services with E endpoints each, on 198.19.x.y:80 → 198.18.a.b:8080 (the shape the benchmark syncs).</summary>
    public static ProxySnapshot Many(int services, int endpointsEach)
    {
        var ports = new List<ServicePortSpec>(services);
        for (var i = 0; i < services; i++)
        {
            var endpoints = new IPEndPoint[endpointsEach];
            for (var e = 0; e < endpointsEach; e++)
            {
                var n = (i * endpointsEach) + e;
                endpoints[e] = new IPEndPoint(new IPAddress([198, 18, (byte)(n >> 8 & 0xff), (byte)(n & 0xff)]), 8080 + (n >> 16));
            }

            ports.Add(Tcp($"svc-{i}", $"198.19.{i >> 8 & 0xff}.{i & 0xff}", 80 + (i >> 16), endpoints));
        }

        return new ProxySnapshot(ports);
    }
}
