
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary><c>masq</c>: <c>masquerade</c>, SNAT to the outgoing interface's address.</summary>
public static class Masq
{
    /// <summary><c>masquerade</c>: source NAT to the outgoing interface's address.</summary>
    public static void Write(NetlinkWriter w) => NfExpression.Begin(w, "masq").End(w);
}
