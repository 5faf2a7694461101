
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary><c>bitwise</c>: <c>reg = (reg &amp; mask) ^ xor</c>, which spells and, or and xor.</summary>
public static class Bitwise
{
    private const ushort NFTA_BITWISE_SREG = 1;
    private const ushort NFTA_BITWISE_DREG = 2;
    private const ushort NFTA_BITWISE_LEN = 3;
    private const ushort NFTA_BITWISE_MASK = 4;
    private const ushort NFTA_BITWISE_XOR = 5;
    private const ushort NFTA_BITWISE_OP = 6;
    private const uint NFT_BITWISE_MASK_XOR = 0;

    /// <summary>Masks and xors <paramref name="register"/> in place.</summary>
    public static void MaskXor(NetlinkWriter w, uint register, ReadOnlySpan<byte> mask, ReadOnlySpan<byte> xor)
    {
        var e = NfExpression.Begin(w, "bitwise");
        w.PutU32(NFTA_BITWISE_SREG, register);
        w.PutU32(NFTA_BITWISE_DREG, register);
        w.PutU32(NFTA_BITWISE_OP, NFT_BITWISE_MASK_XOR);
        w.PutU32(NFTA_BITWISE_LEN, (uint)mask.Length);
        NfExpression.PutData(w, NFTA_BITWISE_MASK, mask);
        NfExpression.PutData(w, NFTA_BITWISE_XOR, xor);
        e.End(w);
    }

    /// <summary>
    /// <c>reg &amp;= mask</c> for a flag test (<c>ct status dnat</c>, then a <c>cmp != 0</c>), as nft
    /// writes it: without NFTA_BITWISE_OP, whose absence the kernel reads as mask-and-xor.
    /// </summary>
    public static void Flags(NetlinkWriter w, uint register, ReadOnlySpan<byte> mask)
    {
        var e = NfExpression.Begin(w, "bitwise");
        w.PutU32(NFTA_BITWISE_SREG, register);
        w.PutU32(NFTA_BITWISE_DREG, register);
        w.PutU32(NFTA_BITWISE_LEN, (uint)mask.Length);
        NfExpression.PutData(w, NFTA_BITWISE_MASK, mask);
        Span<byte> zero = stackalloc byte[mask.Length];
        zero.Clear();
        NfExpression.PutData(w, NFTA_BITWISE_XOR, zero);
        e.End(w);
    }
}
