using System.Globalization;
using System.Net;
using KubeProxyFast.Linux.Netlink.Conntrack;
using static KubeProxyFast.Linux.Netlink.Conntrack.ConntrackConstants;

namespace KubeProxyFast.Dataplane.Netfilter.Conntrack;

/// <summary>
/// Which UDP entries are stale: original destination port, and optionally original destination
/// address (null: any, as for node ports) and reply source (null: any; else the DNAT target, i.e.
/// a removed endpoint). Addresses as <see cref="ConntrackTuple"/> holds them.
/// </summary>
internal readonly record struct UdpFlowSelector(uint? Destination, ushort DestinationPort, uint? ReplySource = null, ushort ReplySourcePort = 0)
{
    /// <summary>Entries to <paramref name="ip"/> (null: any address):<paramref name="port"/>, optionally only those DNATed to <paramref name="endpoint"/>.</summary>
    public static UdpFlowSelector To(IPAddress? ip, int port, IPEndPoint? endpoint = null) => new(
        ip is null ? null : ConntrackTuple.ToU32(ip),
        CheckPort(port, nameof(port)),
        endpoint is null ? null : ConntrackTuple.ToU32(endpoint.Address),
        endpoint is null ? (ushort)0 : CheckPort(endpoint.Port, nameof(endpoint)));

    public bool Matches(in ConntrackFlow flow) =>
        flow.Original.Protocol == IPPROTO_UDP &&
        flow.Original.DestinationPort == DestinationPort &&
        (Destination is not { } d || flow.Original.Destination == d) &&
        (ReplySource is not { } r || (flow.Reply.Source == r && flow.Reply.SourcePort == ReplySourcePort));

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"udp to {(Destination is { } d ? Address(d) : "*")}:{DestinationPort}{(ReplySource is { } r ? $" via {Address(r)}:{ReplySourcePort}" : "")}");

    private static string Address(uint value) => new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();

    private static ushort CheckPort(int port, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, ushort.MaxValue, name);
        return (ushort)port;
    }
}
