
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary><c>ct state</c>: the connection tracking state bits (host-order u32) in a register.</summary>
public static class Ct
{
    private const ushort NFTA_CT_DREG = 1;
    private const ushort NFTA_CT_KEY = 2;
    private const uint NFT_CT_STATE = 0;

    /// <summary>NF_CT_STATE_BIT(IP_CT_NEW): the first packet of a connection.</summary>
    public const uint NF_CT_STATE_NEW_BIT = 8;

    public static void LoadState(NetlinkWriter w, uint register)
    {
        var e = NfExpression.Begin(w, "ct");
        w.PutU32(NFTA_CT_KEY, NFT_CT_STATE);
        w.PutU32(NFTA_CT_DREG, register);
        e.End(w);
    }
}
