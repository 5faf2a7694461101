
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary><c>ct state</c>, <c>ct status</c>: connection tracking bits (host-order u32) in a register.</summary>
public static class Ct
{
    private const ushort NFTA_CT_DREG = 1;
    private const ushort NFTA_CT_KEY = 2;
    private const uint NFT_CT_STATE = 0;
    private const uint NFT_CT_STATUS = 2;

    /// <summary>NF_CT_STATE_BIT(IP_CT_NEW): the first packet of a connection.</summary>
    public const uint NF_CT_STATE_NEW_BIT = 8;

    /// <summary>IPS_DST_NAT (<c>ct status dnat</c>): the connection's destination was rewritten (DNAT, REDIRECT).</summary>
    public const uint IPS_DST_NAT = 1 << 5;

    /// <summary><c>ct state</c>: loads the connection's state bits into <paramref name="register"/>.</summary>
    public static void LoadState(NetlinkWriter w, uint register) => Load(w, NFT_CT_STATE, register);

    /// <summary><c>ct status</c>: loads the connection's status bits (IPS_*) into <paramref name="register"/>.</summary>
    public static void LoadStatus(NetlinkWriter w, uint register) => Load(w, NFT_CT_STATUS, register);

    private static void Load(NetlinkWriter w, uint key, uint register)
    {
        var e = NfExpression.Begin(w, "ct");
        w.PutU32(NFTA_CT_KEY, key);
        w.PutU32(NFTA_CT_DREG, register);
        e.End(w);
    }
}
