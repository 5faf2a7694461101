using System.Net;
using KubeProxyFast.Dataplane.Netfilter.Conntrack;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Netfilter.Sync;

/// <summary>
/// After a kernel-mode sync, deletes the UDP conntrack entries the change made stale, as
/// kube-proxy does: UDP has no connection end, so an entry DNATed to a removed endpoint would keep
/// sending a client's datagrams there, and one created while a port had no endpoints would keep
/// them from reaching the new one.
/// </summary>
internal static class UdpFlowCleanup
{
    /// <summary>Deletes what the step from <paramref name="previous"/> to <paramref name="current"/> left stale; returns how many entries.</summary>
    public static int Run(ConntrackCleaner cleaner, ProxySnapshot previous, ProxySnapshot current)
    {
        var deleted = 0;
        var diff = SnapshotDiff.Compute(previous, current);
        foreach (var spec in diff.Removed)
        {
            deleted += EndpointsGone(cleaner, spec, spec.Endpoints);
        }

        foreach (var spec in diff.Added)
        {
            deleted += FirstEndpoints(cleaner, spec);
        }

        foreach (var (old, now) in diff.Changed)
        {
            if (old.Protocol != L4Protocol.Udp && now.Protocol != L4Protocol.Udp)
            {
                continue;
            }

            var gone = old.Endpoints.Except(now.Endpoints).ToList();
            deleted += EndpointsGone(cleaner, old, gone);
            if (old.Endpoints.Length == 0)
            {
                deleted += FirstEndpoints(cleaner, now);
            }
        }

        return deleted;
    }

    private static int EndpointsGone(ConntrackCleaner cleaner, ServicePortSpec spec, IEnumerable<IPEndPoint> endpoints)
    {
        if (spec.Protocol != L4Protocol.Udp || spec.ClusterIP.Equals(IPAddress.None))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var endpoint in endpoints)
        {
            deleted += cleaner.DeleteUdpFlowsToEndpoint(spec.ClusterIP, spec.Port, endpoint);
            foreach (var external in spec.ExternalIPs)
            {
                deleted += cleaner.DeleteUdpFlowsToEndpoint(external, spec.Port, endpoint);
            }

            if (spec.NodePort is { } nodePort)
            {
                deleted += cleaner.DeleteUdpFlowsToNodePortEndpoint(nodePort, endpoint);
            }
        }

        return deleted;
    }

    private static int FirstEndpoints(ConntrackCleaner cleaner, ServicePortSpec spec)
    {
        if (spec.Protocol != L4Protocol.Udp || spec.Endpoints.Length == 0 || spec.ClusterIP.Equals(IPAddress.None))
        {
            return 0;
        }

        var deleted = cleaner.DeleteUdpFlowsTo(spec.ClusterIP, spec.Port);
        foreach (var external in spec.ExternalIPs)
        {
            deleted += cleaner.DeleteUdpFlowsTo(external, spec.Port);
        }

        if (spec.NodePort is { } nodePort)
        {
            deleted += cleaner.DeleteUdpFlowsToNodePort(nodePort);
        }

        return deleted;
    }
}
