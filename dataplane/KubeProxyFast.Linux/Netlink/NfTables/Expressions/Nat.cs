using static KubeProxyFast.Linux.Netlink.NetlinkConstants;

namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary><c>nat</c>: <c>dnat to addr:port</c> from two registers.</summary>
public static class Nat
{
    private const ushort NFTA_NAT_TYPE = 1;
    private const ushort NFTA_NAT_FAMILY = 2;
    private const ushort NFTA_NAT_REG_ADDR_MIN = 3;
    private const ushort NFTA_NAT_REG_PROTO_MIN = 5;
    private const ushort NFTA_NAT_FLAGS = 7;
    private const uint NFT_NAT_DNAT = 1;

    // NF_NAT_RANGE_PROTO_SPECIFIED (linux/netfilter/nf_nat.h); the kernel adds MAP_IPS itself
    // when an address register is given.
    private const uint NF_NAT_RANGE_PROTO_SPECIFIED = 2;

    /// <summary>
    /// DNAT to the IPv4 address in <paramref name="addressRegister"/> and the port in
    /// <paramref name="portRegister"/>. nft sends the range flag for constants and leaves it to
    /// the kernel (which sets it whenever a port register is given) for a map's result;
    /// <paramref name="explicitFlags"/> follows it so the messages stay byte-identical.
    /// </summary>
    public static void DestinationIPv4(NetlinkWriter w, uint addressRegister, uint portRegister, bool explicitFlags = true)
    {
        var e = NfExpression.Begin(w, "nat");
        w.PutU32(NFTA_NAT_TYPE, NFT_NAT_DNAT);
        w.PutU32(NFTA_NAT_FAMILY, NFPROTO_IPV4);
        w.PutU32(NFTA_NAT_REG_ADDR_MIN, addressRegister);
        w.PutU32(NFTA_NAT_REG_PROTO_MIN, portRegister);
        if (explicitFlags)
        {
            w.PutU32(NFTA_NAT_FLAGS, NF_NAT_RANGE_PROTO_SPECIFIED);
        }

        e.End(w);
    }
}
