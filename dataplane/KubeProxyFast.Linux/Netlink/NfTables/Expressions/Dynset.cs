
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary>
/// <c>dynset</c>: <c>update @set { ip saddr }</c> adds the key from the packet path, or restarts
/// its timeout when present: the sliding expiry of ClientIP affinity.
/// </summary>
public static class Dynset
{
    private const ushort NFTA_DYNSET_SET_NAME = 1;
    private const ushort NFTA_DYNSET_OP = 3;
    private const ushort NFTA_DYNSET_SREG_KEY = 4;
    private const uint NFT_DYNSET_OP_UPDATE = 1;

    /// <summary><c>update @set { key }</c>: adds the key held in <paramref name="keyRegister"/> to <paramref name="set"/>, or refreshes its timeout.</summary>
    public static void Update(NetlinkWriter w, uint keyRegister, string set)
    {
        var e = NfExpression.Begin(w, "dynset");
        w.PutU32(NFTA_DYNSET_SREG_KEY, keyRegister);
        w.PutU32(NFTA_DYNSET_OP, NFT_DYNSET_OP_UPDATE);
        w.PutString(NFTA_DYNSET_SET_NAME, set);
        e.End(w);
    }
}
