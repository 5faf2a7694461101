namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// The shape our table must have: its chains, named sets and the element count of each map.
/// A read-back that differs (a chain missing, a map emptied, the table gone) is drift, repaired
/// by a full sync.
/// </summary>
/// <param name="Chains">Every chain name.</param>
/// <param name="Sets">Every named set and map.</param>
/// <param name="MapElementCounts">Elements per map we fill (dynamic affinity sets are not counted: the kernel fills them).</param>
internal sealed record ExpectedTable(IReadOnlySet<string> Chains, IReadOnlySet<string> Sets, IReadOnlyDictionary<string, int> MapElementCounts);
