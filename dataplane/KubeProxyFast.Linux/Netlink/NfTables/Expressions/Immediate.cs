using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary><c>immediate</c>: a constant into a register, or a verdict (<c>jump</c>, <c>goto</c>, <c>return</c>).</summary>
public static class Immediate
{
    private const ushort NFTA_IMMEDIATE_DREG = 1;
    private const ushort NFTA_IMMEDIATE_DATA = 2;

    /// <summary>Loads <paramref name="value"/> into <paramref name="register"/>.</summary>
    public static void Value(NetlinkWriter w, uint register, ReadOnlySpan<byte> value)
    {
        var e = NfExpression.Begin(w, "immediate");
        w.PutU32(NFTA_IMMEDIATE_DREG, register);
        NfExpression.PutData(w, NFTA_IMMEDIATE_DATA, value);
        e.End(w);
    }

    /// <summary>The verdict <paramref name="code"/> (<see cref="NFT_JUMP"/>, <see cref="NFT_GOTO"/> with <paramref name="chain"/>; <see cref="NFT_RETURN"/>, <see cref="NF_ACCEPT"/> without).</summary>
    public static void Verdict(NetlinkWriter w, int code, string? chain = null)
    {
        var e = NfExpression.Begin(w, "immediate");
        w.PutU32(NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
        var data = w.BeginNested(NFTA_IMMEDIATE_DATA);
        var v = w.BeginNested(NFTA_DATA_VERDICT);
        w.PutU32(NFTA_VERDICT_CODE, unchecked((uint)code));
        if (chain is not null)
        {
            w.PutString(NFTA_VERDICT_CHAIN, chain);
        }

        w.EndNested(v);
        w.EndNested(data);
        e.End(w);
    }
}
