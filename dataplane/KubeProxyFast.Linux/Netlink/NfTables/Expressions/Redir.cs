
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary>
/// <c>redir</c>: <c>redirect to :port</c>, DNAT to this host (127.0.0.1 for locally generated
/// traffic, the arriving interface's primary address otherwise) and the port in a register.
/// </summary>
public static class Redir
{
    private const ushort NFTA_REDIR_REG_PROTO_MIN = 1;
    private const ushort NFTA_REDIR_FLAGS = 3;
    private const uint NF_NAT_RANGE_PROTO_SPECIFIED = 2;

    /// <summary><c>redirect to :port</c>, the port taken from <paramref name="portRegister"/>.</summary>
    public static void ToPort(NetlinkWriter w, uint portRegister)
    {
        var e = NfExpression.Begin(w, "redir");
        w.PutU32(NFTA_REDIR_REG_PROTO_MIN, portRegister);
        w.PutU32(NFTA_REDIR_FLAGS, NF_NAT_RANGE_PROTO_SPECIFIED);
        e.End(w);
    }
}
