namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// What a checked snapshot would do to the index of held keys, applied by
/// <see cref="SnapshotRulesValidator.Accept"/> once the kernel has taken the batch: a whole new
/// index (full sync), or keys released and added (incremental).
/// </summary>
internal sealed record PendingClaims(
    Dictionary<ClaimKey, Snapshot.ServicePortId>? Replacement,
    IReadOnlyList<(ClaimKey Key, Snapshot.ServicePortId Owner)> Released,
    IReadOnlyDictionary<ClaimKey, Snapshot.ServicePortId> Added);
