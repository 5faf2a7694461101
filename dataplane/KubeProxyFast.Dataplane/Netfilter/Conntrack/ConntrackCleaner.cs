using System.Net;
using KubeProxyFast.Linux.Netlink;
using KubeProxyFast.Linux.Netlink.Conntrack;

namespace KubeProxyFast.Dataplane.Netfilter.Conntrack;

/// <summary>
/// Deletes stale IPv4 UDP conntrack entries, as kube-proxy does after a sync, because UDP has no
/// connection to end: an entry keeps steering a client's datagrams to a removed endpoint, or —
/// created while a service had no endpoint and its traffic went un-NATed — past the service,
/// for as long as the client keeps sending. Works in the network namespace it was created in,
/// whichever thread calls it; not thread-safe. Each call dumps the table once and deletes the
/// matches, returning how many the kernel removed; a refusal throws <see cref="NetfilterException"/>
/// naming the operation and the flow.
/// </summary>
public sealed class ConntrackCleaner : IDisposable
{
    private readonly ConntrackConnection _connection;

    /// <summary>Opens ctnetlink in the calling thread's network namespace.</summary>
    public ConntrackCleaner() => _connection = ConntrackConnection.Open();

    /// <summary>
    /// Deletes every UDP entry whose original destination is <paramref name="serviceIP"/>:<paramref name="servicePort"/>:
    /// what to do when a UDP service gains its first endpoint.
    /// </summary>
    public int DeleteUdpFlowsTo(IPAddress serviceIP, int servicePort) => Delete([UdpFlowSelector.To(serviceIP, servicePort)]);

    /// <summary>
    /// Deletes the UDP entries whose original destination is <paramref name="serviceIP"/>:<paramref name="servicePort"/>
    /// and whose replies come from <paramref name="endpoint"/> — flows DNATed to it: what to do when
    /// it leaves the service.
    /// </summary>
    public int DeleteUdpFlowsToEndpoint(IPAddress serviceIP, int servicePort, IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Delete([UdpFlowSelector.To(serviceIP, servicePort, endpoint)]);
    }

    /// <summary>
    /// Deletes every UDP entry whose original destination port is <paramref name="nodePort"/>, to
    /// any address (as kube-proxy does: node ports are outside the ranges clients connect out to):
    /// what to do when a node port gains its first endpoint.
    /// </summary>
    public int DeleteUdpFlowsToNodePort(int nodePort) => Delete([UdpFlowSelector.To(null, nodePort)]);

    /// <summary>
    /// Deletes the UDP entries whose original destination port is <paramref name="nodePort"/> (any
    /// address) and whose replies come from <paramref name="endpoint"/>: what to do when it leaves.
    /// </summary>
    public int DeleteUdpFlowsToNodePortEndpoint(int nodePort, IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Delete([UdpFlowSelector.To(null, nodePort, endpoint)]);
    }

    /// <summary>
    /// Deletes the entries any of <paramref name="selectors"/> matches with one dump of the table,
    /// however many selectors a sync produced; returns how many the kernel removed.
    /// </summary>
    internal int Delete(IReadOnlyList<UdpFlowSelector> selectors)
    {
        if (selectors.Count == 0)
        {
            return 0;
        }

        var what = selectors.Count == 1 ? selectors[0].ToString() : $"{selectors[0]} and {selectors.Count - 1} more";
        var stale = _connection.Dump(what, flow =>
        {
            foreach (var selector in selectors)
            {
                if (selector.Matches(flow))
                {
                    return true;
                }
            }

            return false;
        });
        return stale.Count == 0 ? 0 : _connection.Delete(stale);
    }

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();
}
