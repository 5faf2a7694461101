
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary><c>cmp</c>: compares a register with a constant; the rule stops here when it does not hold.</summary>
public static class Cmp
{
    private const ushort NFTA_CMP_SREG = 1;
    private const ushort NFTA_CMP_OP = 2;
    private const ushort NFTA_CMP_DATA = 3;

    /// <summary>Equal (enum nft_cmp_ops).</summary>
    public const uint NFT_CMP_EQ = 0;
    /// <summary>Not equal (enum nft_cmp_ops).</summary>
    public const uint NFT_CMP_NEQ = 1;

    /// <summary>Register <paramref name="register"/> compared by <paramref name="op"/> with <paramref name="value"/>.</summary>
    public static void Write(NetlinkWriter w, uint register, uint op, ReadOnlySpan<byte> value)
    {
        var e = NfExpression.Begin(w, "cmp");
        w.PutU32(NFTA_CMP_SREG, register);
        w.PutU32(NFTA_CMP_OP, op);
        NfExpression.PutData(w, NFTA_CMP_DATA, value);
        e.End(w);
    }
}
