
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary><c>fib daddr type</c>: the route type of the destination (RTN_LOCAL for this host's addresses, where node ports answer).</summary>
public static class Fib
{
    private const ushort NFTA_FIB_DREG = 1;
    private const ushort NFTA_FIB_RESULT = 2;
    private const ushort NFTA_FIB_FLAGS = 3;
    private const uint NFT_FIB_RESULT_ADDRTYPE = 3;
    private const uint NFTA_FIB_F_DADDR = 1 << 1;

    /// <summary>RTN_LOCAL (linux/rtnetlink.h), as a host-order u32 the way fib writes it.</summary>
    public const uint RTN_LOCAL = 2;

    /// <summary><c>fib daddr type</c>: loads the route type of the destination address (e.g. <see cref="RTN_LOCAL"/>) into <paramref name="register"/>.</summary>
    public static void DestinationAddressType(NetlinkWriter w, uint register)
    {
        var e = NfExpression.Begin(w, "fib");
        w.PutU32(NFTA_FIB_FLAGS, NFTA_FIB_F_DADDR);
        w.PutU32(NFTA_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE);
        w.PutU32(NFTA_FIB_DREG, register);
        e.End(w);
    }
}
