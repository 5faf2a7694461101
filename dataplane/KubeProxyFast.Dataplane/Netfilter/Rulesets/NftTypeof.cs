namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// nft's user data for sets whose key holds a numgen value: the <c>typeof</c> expressions
/// (NFTNL_UDATA_SET_KEY_TYPEOF / DATA_TYPEOF) that nft 1.0.6 sends for the declarations below,
/// captured from it (tests/…/Netfilter/Golden). The kernel stores them without reading them;
/// without them nft could not name the numgen field when it lists our table.
/// </summary>
internal static class NftTypeof
{
    private static readonly byte[] s_endpointMap = Convert.FromHexString(
        "000400000000010400000000035000040d00000001480014000407000000010c00040c00000001040c0000000114000407000000010c000408000000010402000000021a0004170000000112000401000000010401000000020400000000043400040d000000012c0014000407000000010c00040c00000001040c0000000114000407000000010c000408000000010402000000060400000000");

    private static readonly byte[] s_nodePortEndpointMap = Convert.FromHexString(
        "000400000000010400000000033a00040d00000001320014000407000000010c000408000000010402000000011a0004170000000112000401000000010401000000020400000000043400040d000000012c0014000407000000010c00040c00000001040c0000000114000407000000010c000408000000010402000000060400000000");

    /// <summary><c>typeof ip daddr . tcp dport . numgen random mod 1 : ip daddr . tcp dport</c>.</summary>
    public static ReadOnlySpan<byte> EndpointMap => s_endpointMap;

    /// <summary><c>typeof tcp dport . numgen random mod 1 : ip daddr . tcp dport</c>.</summary>
    public static ReadOnlySpan<byte> NodePortEndpointMap => s_nodePortEndpointMap;
}
