using KubeProxyFast.Dataplane.Netfilter.Netlink;

namespace KubeProxyFast.Dataplane.Netfilter.NfTables.Expressions;

/// <summary><c>counter</c>: packets and bytes through the rule, starting from zero.</summary>
internal static class Counter
{
    private const ushort NFTA_COUNTER_BYTES = 1;
    private const ushort NFTA_COUNTER_PACKETS = 2;

    public static void Write(NetlinkWriter w)
    {
        var e = NfExpression.Begin(w, "counter");
        w.PutU64(NFTA_COUNTER_BYTES, 0);
        w.PutU64(NFTA_COUNTER_PACKETS, 0);
        e.End(w);
    }
}
