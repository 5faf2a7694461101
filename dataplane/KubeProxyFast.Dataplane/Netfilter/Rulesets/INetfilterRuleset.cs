using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Netlink.NfTables;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// Renders a <see cref="ProxySnapshot"/> into nf_tables messages for our table: a whole table
/// (a full sync), or only what changed between two snapshots (an incremental sync). Both write
/// into one batch, so the kernel applies either atomically.
/// </summary>
internal interface INetfilterRuleset
{
    /// <summary>Writes the table from scratch: add, delete and re-add it, then everything in it.</summary>
    void WriteFull(NfBatch batch, ProxySnapshot snapshot);

    /// <summary>Writes only the changes <paramref name="diff"/> makes from what the kernel holds to <paramref name="current"/>.</summary>
    void WriteChanges(NfBatch batch, ProxySnapshot current, SnapshotDiff diff);

    /// <summary>What the table must hold for <paramref name="snapshot"/>, to check a read-back against.</summary>
    ExpectedTable Expect(ProxySnapshot snapshot);
}
