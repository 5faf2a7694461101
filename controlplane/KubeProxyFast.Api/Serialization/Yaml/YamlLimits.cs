namespace KubeProxyFast.Api.Serialization.Yaml;

/// <summary>
/// What one YAML stream may cost to decode. Aliases let a few hundred bytes name billions of
/// nodes (a 700-byte, 9-level "billion laughs" took 35 s and 3.8 GB before these limits), so the
/// decoder bounds what it parses, what aliases may add, and what it writes, and refuses the
/// stream with an error naming the limit as soon as one is passed.
/// </summary>
internal static class YamlLimits
{
    /// <summary>
    /// Nesting levels, counting the levels an alias or merge adds where it is expanded: the
    /// 64 of System.Text.Json's default <c>MaxDepth</c>, which JSON bodies already get. No v1
    /// object nests half as deep.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Nodes parsed from the text, aliases included (not yet expanded). A scalar node costs
    /// about 80 bytes with its text, so this caps the parse near 80 MB; a 3 MiB body of real
    /// objects has about 300,000 nodes, and only one denser than a node per 3 bytes
    /// (<c>[1,1,1,…]</c>) passes the cap.
    /// </summary>
    public const int MaxNodes = 1_000_000;

    /// <summary>The least JSON any stream may expand to (16 MiB), whatever its length.</summary>
    public const long MinJsonBytes = 16L * 1024 * 1024;

    /// <summary>
    /// JSON bytes allowed per character of YAML past <see cref="MinJsonBytes"/>. Without aliases
    /// the JSON is at most about 2.5 times the YAML (quotes and commas around one-character
    /// scalars, <c>\t</c> for a tab), so only aliases ever reach 4 times.
    /// </summary>
    public const int JsonBytesPerYamlChar = 4;

    // go-yaml's rule against "excessive aliasing" (gopkg.in/yaml.v2 ≥ 2.2.8 and v3 decode.go,
    // which sigs.k8s.io/yaml and so the Kubernetes apiserver use): once more than 100 of more
    // than 1,000 decoded nodes came from aliases, at most 99% may, falling linearly to 10% between
    // 400,000 and 4,000,000 decoded nodes.
    private const int AliasRuleMinAliases = 100;
    private const int AliasRuleMinDecodes = 1000;
    private const long AliasRatioRangeLow = 400_000;
    private const long AliasRatioRangeHigh = 4_000_000;

    /// <summary>The JSON that YAML of <paramref name="yamlLength"/> characters may expand to.</summary>
    public static long MaxJsonBytes(int yamlLength) => Math.Max(MinJsonBytes, (long)JsonBytesPerYamlChar * yamlLength);

    /// <summary>
    /// go-yaml's test: true when <paramref name="aliasDecodes"/> of <paramref name="decodes"/>
    /// decoded nodes came from expanding aliases is more than a document may have.
    /// </summary>
    public static bool ExcessiveAliasing(long decodes, long aliasDecodes) =>
        aliasDecodes > AliasRuleMinAliases && decodes > AliasRuleMinDecodes &&
        (double)aliasDecodes / decodes > AllowedAliasRatio(decodes);

    /// <summary>The share of decoded nodes that may come from aliases, after <paramref name="decodes"/> nodes.</summary>
    public static double AllowedAliasRatio(long decodes) => decodes switch
    {
        <= AliasRatioRangeLow => 0.99,
        >= AliasRatioRangeHigh => 0.10,
        _ => 0.99 - (0.89 * (decodes - AliasRatioRangeLow) / (AliasRatioRangeHigh - AliasRatioRangeLow)),
    };
}
