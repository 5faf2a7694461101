
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary><c>reject</c>: <c>reject with tcp reset</c>, or an ICMP port unreachable (the default for UDP).</summary>
public static class Reject
{
    private const ushort NFTA_REJECT_TYPE = 1;
    private const ushort NFTA_REJECT_ICMP_CODE = 2;
    private const uint NFT_REJECT_ICMP_UNREACH = 0;
    private const uint NFT_REJECT_TCP_RST = 1;
    private const byte ICMP_PORT_UNREACH = 3;

    /// <summary><c>reject with tcp reset</c>.</summary>
    public static void TcpReset(NetlinkWriter w) => Write(w, NFT_REJECT_TCP_RST, 0);

    /// <summary><c>reject</c> with ICMP port unreachable (nft's default for <c>reject</c>).</summary>
    public static void PortUnreachable(NetlinkWriter w) => Write(w, NFT_REJECT_ICMP_UNREACH, ICMP_PORT_UNREACH);

    private static void Write(NetlinkWriter w, uint type, byte code)
    {
        var e = NfExpression.Begin(w, "reject");
        w.PutU32(NFTA_REJECT_TYPE, type);
        w.PutBytes(NFTA_REJECT_ICMP_CODE, [code]);
        e.End(w);
    }
}
