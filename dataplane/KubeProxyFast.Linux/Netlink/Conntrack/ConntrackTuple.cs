using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using static KubeProxyFast.Linux.Netlink.Conntrack.ConntrackConstants;

namespace KubeProxyFast.Linux.Netlink.Conntrack;

/// <summary>
/// One direction of an IPv4 conntrack entry. Addresses are kept as the big-endian value of their
/// four bytes (198.19.0.53 is 0xC6130035), as ctnetlink carries them, so a dump of a million
/// entries allocates no <see cref="IPAddress"/> per entry.
/// </summary>
public readonly record struct ConntrackTuple(uint Source, uint Destination, byte Protocol, ushort SourcePort, ushort DestinationPort)
{
    /// <summary>The big-endian value of an IPv4 address; throws for any other family.</summary>
    public static uint ToU32(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not an IPv4 address; conntrack cleanup handles IPv4 only", nameof(address));
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    /// <summary>
    /// Reads a <c>CTA_TUPLE_ORIG</c> or <c>CTA_TUPLE_REPLY</c> nest; false when it is not IPv4 or
    /// lacks an address or the protocol (ports stay 0 for protocols without them, e.g. ICMP).
    /// </summary>
    public static bool TryRead(NetlinkAttributes tuple, out ConntrackTuple result)
    {
        result = default;
        if (!tuple.TryFind(CTA_TUPLE_IP, out var ip) || !tuple.TryFind(CTA_TUPLE_PROTO, out var proto))
        {
            return false;
        }

        var ips = ip.Nested;
        var protos = proto.Nested;
        if (!ips.TryFind(CTA_IP_V4_SRC, out var src) || !ips.TryFind(CTA_IP_V4_DST, out var dst) || !protos.TryFind(CTA_PROTO_NUM, out var num))
        {
            return false;
        }

        var sport = protos.TryFind(CTA_PROTO_SRC_PORT, out var s) ? s.AsU16() : (ushort)0;
        var dport = protos.TryFind(CTA_PROTO_DST_PORT, out var d) ? d.AsU16() : (ushort)0;
        result = new ConntrackTuple(src.AsU32(), dst.AsU32(), num.AsU8(), sport, dport);
        return true;
    }

    /// <summary>Writes this tuple as the nest <paramref name="type"/> (CTA_TUPLE_IP{src,dst}, CTA_TUPLE_PROTO{num,sport,dport}).</summary>
    public void Write(NetlinkWriter writer, ushort type)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var tuple = writer.BeginNested(type);
        var ip = writer.BeginNested(CTA_TUPLE_IP);
        writer.PutU32(CTA_IP_V4_SRC, Source);
        writer.PutU32(CTA_IP_V4_DST, Destination);
        writer.EndNested(ip);
        var proto = writer.BeginNested(CTA_TUPLE_PROTO);
        writer.PutU8(CTA_PROTO_NUM, Protocol);
        writer.PutU16(CTA_PROTO_SRC_PORT, SourcePort);
        writer.PutU16(CTA_PROTO_DST_PORT, DestinationPort);
        writer.EndNested(proto);
        writer.EndNested(tuple);
    }

    /// <summary>As <c>conntrack</c> would name it: <c>udp 198.18.0.5:40000 -> 198.19.0.53:53</c>.</summary>
    public override string ToString()
    {
        var protocol = Protocol switch
        {
            IPPROTO_UDP => "udp",
            IPPROTO_TCP => "tcp",
            _ => "proto " + Protocol.ToString(CultureInfo.InvariantCulture),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{protocol} {Format(Source)}:{SourcePort} -> {Format(Destination)}:{DestinationPort}");
    }

    private static string Format(uint address)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
    }
}
