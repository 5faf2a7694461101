using System.Net;
using KubeProxyFast.Dataplane.Netfilter.Conntrack;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Netfilter.Sync;

/// <summary>
/// After a sync, deletes the UDP conntrack entries the change made stale, as kube-proxy does: UDP
/// has no connection end, and NAT is decided on a flow's first datagram, so an entry keeps a
/// client's datagrams going where the rules sent them then. In kernel mode an entry DNATed to a
/// removed endpoint would keep going there, and one created while a port had no endpoints would
/// never reach the new one. In userspace mode an entry created before a port was redirected (a
/// resolver retrying on one socket before the proxy started) would never reach the proxy, and one
/// redirected to a removed port's proxy port would keep going to that closed port.
/// </summary>
internal static class UdpFlowCleanup
{
    /// <summary>Kernel mode: deletes, with one dump of the table, what the step <paramref name="diff"/> describes left stale; returns how many entries.</summary>
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

    /// <summary>
    /// Userspace mode: every flow to the addresses of a UDP port that was added, removed, or moved
    /// to other addresses (its redirect, and so its proxy port, changed). A change of endpoints
    /// alone needs nothing: the flow ends at the proxy, which moves its sessions itself.
    /// </summary>
    public static int RunUserspace(ConntrackCleaner cleaner, SnapshotDiff diff)
    {
        var stale = new List<UdpFlowSelector>();
        foreach (var spec in diff.Added.Concat(diff.Removed))
        {
            Redirected(stale, spec);
        }

        foreach (var (old, now) in diff.Changed)
        {
            if (!SameAddresses(old, now))
            {
                Redirected(stale, old);
                Redirected(stale, now);
            }
        }

        return cleaner.Delete(stale);
    }

    private static void Redirected(List<UdpFlowSelector> stale, ServicePortSpec spec)
    {
        if (spec.Protocol == L4Protocol.Udp && !spec.ClusterIP.Equals(IPAddress.None))
        {
            Destinations(stale, spec, null);
        }
    }

    private static bool SameAddresses(ServicePortSpec a, ServicePortSpec b) =>
        a.Protocol == b.Protocol && a.ClusterIP.Equals(b.ClusterIP) && a.Port == b.Port && a.NodePort == b.NodePort &&
        a.ExternalIPs.AsSpan().SequenceEqual(b.ExternalIPs.AsSpan());

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
