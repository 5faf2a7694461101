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
    /// <summary>Deletes, with one dump of the table, what the step <paramref name="diff"/> describes left stale; returns how many entries.</summary>
    public static int Run(ConntrackCleaner cleaner, SnapshotDiff diff)
    {
        var stale = new List<UdpFlowSelector>();
        foreach (var spec in diff.Removed)
        {
            EndpointsGone(stale, spec, spec.Endpoints);
        }

        foreach (var spec in diff.Added)
        {
            FirstEndpoints(stale, spec);
        }

        foreach (var (old, now) in diff.Changed)
        {
            if (old.Protocol != L4Protocol.Udp && now.Protocol != L4Protocol.Udp)
            {
                continue;
            }

            EndpointsGone(stale, old, old.Endpoints.Except(now.Endpoints));
            if (old.Endpoints.Length == 0)
            {
                FirstEndpoints(stale, now);
            }
        }

        return cleaner.Delete(stale);
    }

    private static void EndpointsGone(List<UdpFlowSelector> stale, ServicePortSpec spec, IEnumerable<IPEndPoint> endpoints)
    {
        if (spec.Protocol != L4Protocol.Udp || spec.ClusterIP.Equals(IPAddress.None))
        {
            return;
        }

        foreach (var endpoint in endpoints)
        {
            Destinations(stale, spec, endpoint);
        }
    }

    private static void FirstEndpoints(List<UdpFlowSelector> stale, ServicePortSpec spec)
    {
        if (spec.Protocol == L4Protocol.Udp && spec.Endpoints.Length > 0 && !spec.ClusterIP.Equals(IPAddress.None))
        {
            Destinations(stale, spec, null);
        }
    }

    /// <summary>Every address the port answers on — cluster IP, external IPs, node port on any address — optionally only via <paramref name="endpoint"/>.</summary>
    private static void Destinations(List<UdpFlowSelector> stale, ServicePortSpec spec, IPEndPoint? endpoint)
    {
        stale.Add(UdpFlowSelector.To(spec.ClusterIP, spec.Port, endpoint));
        foreach (var external in spec.ExternalIPs)
        {
            stale.Add(UdpFlowSelector.To(external, spec.Port, endpoint));
        }

        if (spec.NodePort is { } nodePort)
        {
            stale.Add(UdpFlowSelector.To(null, nodePort, endpoint));
        }
    }
}
