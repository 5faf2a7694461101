
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary><c>payload</c>: loads header bytes into a register (<c>ip saddr</c>, <c>th dport</c>).</summary>
public static class Payload
{
    private const ushort NFTA_PAYLOAD_DREG = 1;
    private const ushort NFTA_PAYLOAD_BASE = 2;
    private const ushort NFTA_PAYLOAD_OFFSET = 3;
    private const ushort NFTA_PAYLOAD_LEN = 4;

    /// <summary>Offsets from the network header (enum nft_payload_bases).</summary>
    public const uint NFT_PAYLOAD_NETWORK_HEADER = 1;
    /// <summary>Offsets from the transport header (enum nft_payload_bases).</summary>
    public const uint NFT_PAYLOAD_TRANSPORT_HEADER = 2;

    /// <summary>Loads <paramref name="length"/> bytes at <paramref name="offset"/> of header <paramref name="header"/>.</summary>
    public static void Load(NetlinkWriter w, uint register, uint header, uint offset, uint length)
    {
        var e = NfExpression.Begin(w, "payload");
        w.PutU32(NFTA_PAYLOAD_DREG, register);
        w.PutU32(NFTA_PAYLOAD_BASE, header);
        w.PutU32(NFTA_PAYLOAD_OFFSET, offset);
        w.PutU32(NFTA_PAYLOAD_LEN, length);
        e.End(w);
    }

    /// <summary><c>ip saddr</c>: bytes 12-15 of the IPv4 header.</summary>
    public static void IPv4Source(NetlinkWriter w, uint register) => Load(w, register, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);

    /// <summary><c>ip daddr</c>: bytes 16-19 of the IPv4 header.</summary>
    public static void IPv4Destination(NetlinkWriter w, uint register) => Load(w, register, NFT_PAYLOAD_NETWORK_HEADER, 16, 4);

    /// <summary><c>th dport</c>: bytes 2-3 of the TCP or UDP header.</summary>
    public static void TransportDestinationPort(NetlinkWriter w, uint register) => Load(w, register, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
}
