using KubeProxyFast.Dataplane.Netfilter.NfTables;
using KubeProxyFast.Dataplane.Snapshot;
using static KubeProxyFast.Dataplane.Netfilter.Rulesets.RulesetNames;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// The incremental sync: only changed service ports are touched. Map elements that no longer
/// hold are deleted first (so nothing refers to what is removed next), then chains are added,
/// rewritten or removed, then the new elements are added — all in one transaction. An endpoint
/// that stays keeps its chain and its affinity set, so clients stay stuck across the change.
/// </summary>
internal sealed partial class KernelRuleset
{
    /// <inheritdoc/>
    public void WriteChanges(NfBatch batch, ProxySnapshot current, SnapshotDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var oldElements = new List<MapElement>();
        var newElements = new List<MapElement>();
        foreach (var spec in diff.Removed)
        {
            if (IsProgrammed(spec))
            {
                AppendElements(spec, oldElements);
            }
        }

        foreach (var spec in diff.Added)
        {
            if (IsProgrammed(spec))
            {
                AppendElements(spec, newElements);
            }
        }

        foreach (var (old, now) in diff.Changed)
        {
            if (IsProgrammed(old))
            {
                AppendElements(old, oldElements);
            }

            if (IsProgrammed(now))
            {
                AppendElements(now, newElements);
            }
        }

        // An element in both lists is left alone, unless its port is rebuilt: its chains are
        // deleted and re-added, and the kernel refuses to delete a chain an element points to.
        var keep = new HashSet<MapElement>(oldElements);
        keep.IntersectWith(newElements);
        foreach (var (old, now) in diff.Changed)
        {
            if (IsRebuilt(old, now))
            {
                var stem = Stem(now.Id);
                keep.RemoveWhere(e => e.Chain == ServiceChain(stem) || e.Chain == ExternalChain(stem));
            }
        }

        oldElements.RemoveAll(keep.Contains);
        newElements.RemoveAll(keep.Contains);
        WriteElements(batch, oldElements, delete: true);

        foreach (var spec in diff.Removed)
        {
            if (IsProgrammed(spec))
            {
                RemovePortChains(batch, spec);
            }
        }

        foreach (var (old, now) in diff.Changed)
        {
            ChangePort(batch, old, now);
        }

        foreach (var spec in diff.Added)
        {
            if (IsProgrammed(spec))
            {
                AddPortChains(batch, spec);
            }
        }

        WriteElements(batch, newElements, delete: false);
    }

    /// <summary>What every endpoint chain says depends on protocol and affinity: when either changes, the port is rebuilt whole.</summary>
    private static bool IsRebuilt(ServicePortSpec old, ServicePortSpec now) =>
        !IsProgrammed(old) || !IsProgrammed(now) || old.Protocol != now.Protocol || old.Affinity != now.Affinity;

    private static void ChangePort(NfBatch batch, ServicePortSpec old, ServicePortSpec now)
    {
        if (IsRebuilt(old, now))
        {
            if (IsProgrammed(old))
            {
                RemovePortChains(batch, old);
            }

            if (IsProgrammed(now))
            {
                AddPortChains(batch, now);
            }

            return;
        }

        var stem = Stem(now.Id);
        var oldEndpoints = old.Endpoints.ToHashSet();
        var newEndpoints = now.Endpoints.ToHashSet();
        foreach (var endpoint in now.Endpoints)
        {
            if (!oldEndpoints.Contains(endpoint))
            {
                AddEndpoint(batch, now, stem, endpoint);
            }
        }

        if (NeedsExternalChain(old) && !NeedsExternalChain(now))
        {
            RemoveChain(batch, ExternalChain(stem));
        }
        else if (!NeedsExternalChain(old) && NeedsExternalChain(now))
        {
            AddExternalChain(batch, stem);
        }

        if (!old.Endpoints.AsSpan().SequenceEqual(now.Endpoints.AsSpan()))
        {
            NfChain.Flush(batch, Table, ServiceChain(stem));
            WriteServiceRules(batch, now, stem);
        }

        foreach (var endpoint in old.Endpoints)
        {
            if (!newEndpoints.Contains(endpoint))
            {
                RemoveEndpoint(batch, old, stem, endpoint);
            }
        }
    }
}
