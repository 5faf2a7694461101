
namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary><c>meta</c>: packet metadata (<c>meta l4proto</c>, <c>meta mark</c>), loaded or set.</summary>
public static class Meta
{
    private const ushort NFTA_META_DREG = 1;
    private const ushort NFTA_META_KEY = 2;
    private const ushort NFTA_META_SREG = 3;

    /// <summary>The packet mark (enum nft_meta_keys).</summary>
    public const uint NFT_META_MARK = 3;
    /// <summary>The output interface's index (enum nft_meta_keys).</summary>
    public const uint NFT_META_OIF = 5;
    /// <summary>The layer 4 protocol (enum nft_meta_keys).</summary>
    public const uint NFT_META_L4PROTO = 16;

    /// <summary>Loads <paramref name="key"/> into <paramref name="register"/>.</summary>
    public static void Load(NetlinkWriter w, uint key, uint register)
    {
        var e = NfExpression.Begin(w, "meta");
        w.PutU32(NFTA_META_KEY, key);
        w.PutU32(NFTA_META_DREG, register);
        e.End(w);
    }

    /// <summary>Sets <paramref name="key"/> from <paramref name="register"/> (<c>meta mark set …</c>).</summary>
    public static void Set(NetlinkWriter w, uint key, uint register)
    {
        var e = NfExpression.Begin(w, "meta");
        w.PutU32(NFTA_META_KEY, key);
        w.PutU32(NFTA_META_SREG, register);
        e.End(w);
    }
}
