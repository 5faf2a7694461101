
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary>
/// <c>lookup</c>: is a register's key in a set (<c>ip saddr @aff</c>), or, for a map, load its
/// value into a register — the verdict register for a verdict map (<c>… vmap @services</c>).
/// </summary>
public static class Lookup
{
    private const ushort NFTA_LOOKUP_SET = 1;
    private const ushort NFTA_LOOKUP_SREG = 2;
    private const ushort NFTA_LOOKUP_DREG = 3;

    /// <summary>Membership: the rule goes on when the key in <paramref name="register"/> is in <paramref name="set"/>.</summary>
    public static void InSet(NetlinkWriter w, uint register, string set)
    {
        var e = NfExpression.Begin(w, "lookup");
        w.PutU32(NFTA_LOOKUP_SREG, register);
        w.PutString(NFTA_LOOKUP_SET, set);
        e.End(w);
    }

    /// <summary>Map: the value for the key in <paramref name="register"/> goes to <paramref name="destination"/>; the rule stops on a miss.</summary>
    public static void Map(NetlinkWriter w, uint register, uint destination, string set)
    {
        var e = NfExpression.Begin(w, "lookup");
        w.PutU32(NFTA_LOOKUP_SREG, register);
        w.PutU32(NFTA_LOOKUP_DREG, destination);
        w.PutString(NFTA_LOOKUP_SET, set);
        e.End(w);
    }
}
