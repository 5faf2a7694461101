
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary><c>counter</c>: packets and bytes through the rule; sent without values, as nft does, so the kernel starts it at zero.</summary>
public static class Counter
{
    /// <summary><c>counter</c>: counts packets and bytes.</summary>
    public static void Write(NetlinkWriter w) => NfExpression.Begin(w, "counter").End(w);
}
