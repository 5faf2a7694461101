
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary><c>numgen random mod N</c>: a uniform number in [0, N) (host-order u32) in a register.</summary>
public static class Numgen
{
    private const ushort NFTA_NG_DREG = 1;
    private const ushort NFTA_NG_MODULUS = 2;
    private const ushort NFTA_NG_TYPE = 3;
    private const ushort NFTA_NG_OFFSET = 4;
    private const uint NFT_NG_RANDOM = 1;

    /// <summary><c>numgen random mod N</c>: loads a random number below <paramref name="modulus"/> into <paramref name="register"/>.</summary>
    public static void Random(NetlinkWriter w, uint register, uint modulus)
    {
        var e = NfExpression.Begin(w, "numgen");
        w.PutU32(NFTA_NG_DREG, register);
        w.PutU32(NFTA_NG_MODULUS, modulus);
        w.PutU32(NFTA_NG_TYPE, NFT_NG_RANDOM);
        w.PutU32(NFTA_NG_OFFSET, 0);
        e.End(w);
    }
}
