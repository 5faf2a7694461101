using KubeProxyFast.Dataplane.Netfilter.Netlink;

namespace KubeProxyFast.Dataplane.Netfilter.NfTables.Expressions;

/// <summary><c>masq</c>: <c>masquerade</c>, SNAT to the outgoing interface's address.</summary>
internal static class Masq
{
    public static void Write(NetlinkWriter w) => NfExpression.Begin(w, "masq").End(w);
}
