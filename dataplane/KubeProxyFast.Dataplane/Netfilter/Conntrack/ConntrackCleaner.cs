using System.Globalization;
using System.Net;
using KubeProxyFast.Dataplane.Netfilter.NfTables;
using static KubeProxyFast.Dataplane.Netfilter.Conntrack.ConntrackConstants;

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
    public int DeleteUdpFlowsTo(IPAddress serviceIP, int servicePort)
    {
        var ip = ConntrackTuple.ToU32(serviceIP);
        var port = CheckPort(servicePort, nameof(servicePort));
        return Delete(Describe(serviceIP, servicePort), f => IsUdpTo(f.Original, ip, port));
    }

    /// <summary>
    /// Deletes the UDP entries whose original destination is <paramref name="serviceIP"/>:<paramref name="servicePort"/>
    /// and whose replies come from <paramref name="endpoint"/> — flows DNATed to it: what to do when
    /// it leaves the service.
    /// </summary>
    public int DeleteUdpFlowsToEndpoint(IPAddress serviceIP, int servicePort, IPEndPoint endpoint)
    {
        var ip = ConntrackTuple.ToU32(serviceIP);
        var port = CheckPort(servicePort, nameof(servicePort));
        var (endpointIP, endpointPort) = CheckEndpoint(endpoint);
        return Delete(
            $"{Describe(serviceIP, servicePort)} via {endpoint}",
            f => IsUdpTo(f.Original, ip, port) && f.Reply.Source == endpointIP && f.Reply.SourcePort == endpointPort);
    }

    /// <summary>
    /// Deletes every UDP entry whose original destination port is <paramref name="nodePort"/>, to
    /// any address (as kube-proxy does: node ports are outside the ranges clients connect out to):
    /// what to do when a node port gains its first endpoint.
    /// </summary>
    public int DeleteUdpFlowsToNodePort(int nodePort)
    {
        var port = CheckPort(nodePort, nameof(nodePort));
        return Delete(Describe(null, nodePort), f => IsUdpToPort(f.Original, port));
    }

    /// <summary>
    /// Deletes the UDP entries whose original destination port is <paramref name="nodePort"/> (any
    /// address) and whose replies come from <paramref name="endpoint"/>: what to do when it leaves.
    /// </summary>
    public int DeleteUdpFlowsToNodePortEndpoint(int nodePort, IPEndPoint endpoint)
    {
        var port = CheckPort(nodePort, nameof(nodePort));
        var (endpointIP, endpointPort) = CheckEndpoint(endpoint);
        return Delete(
            $"{Describe(null, nodePort)} via {endpoint}",
            f => IsUdpToPort(f.Original, port) && f.Reply.Source == endpointIP && f.Reply.SourcePort == endpointPort);
    }

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    private static bool IsUdpToPort(in ConntrackTuple t, ushort port) => t.Protocol == IPPROTO_UDP && t.DestinationPort == port;

    private static bool IsUdpTo(in ConntrackTuple t, uint ip, ushort port) => IsUdpToPort(t, port) && t.Destination == ip;

    private static string Describe(IPAddress? ip, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"udp to {(ip is null ? "*" : ip.ToString())}:{port}");

    private static ushort CheckPort(int port, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, ushort.MaxValue, name);
        return (ushort)port;
    }

    private static (uint IP, ushort Port) CheckEndpoint(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return (ConntrackTuple.ToU32(endpoint.Address), CheckPort(endpoint.Port, nameof(endpoint)));
    }

    private int Delete(string what, Func<ConntrackFlow, bool> match)
    {
        var stale = _connection.Dump(what, match);
        return stale.Count == 0 ? 0 : _connection.Delete(stale);
    }
}
