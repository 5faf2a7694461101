using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Netlink.NfTables;
using static KubeProxyFast.Dataplane.Netfilter.Rulesets.RulesetNames;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// The incremental sync: only changed service ports are touched. Elements that no longer hold
/// are deleted first (so nothing refers to what is removed next), then chains are added,
/// rewritten or removed, then the new elements are added — all in one transaction. A port
/// without affinity changes elements only (and a pick chain appears or goes when it is the first
/// or last with its endpoint count); with ClientIP affinity an endpoint that stays keeps its chain
/// and its affinity set, so its clients stay stuck across the change.
/// </summary>
internal sealed partial class KernelRuleset
{
    /// <inheritdoc/>
    public void WriteChanges(NfBatch batch, ProxySnapshot current, SnapshotDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var oldElements = new List<MapElement>();
        var newElements = new List<MapElement>();
        var oldSlots = new List<EndpointSlot>();
        var newSlots = new List<EndpointSlot>();
        foreach (var spec in diff.Removed)
        {
            AppendProgrammed(spec, oldElements, oldSlots);
        }

        foreach (var spec in diff.Added)
        {
            AppendProgrammed(spec, newElements, newSlots);
        }

        foreach (var (old, now) in diff.Changed)
        {
            AppendProgrammed(old, oldElements, oldSlots);
            AppendProgrammed(now, newElements, newSlots);
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
        var keptSlots = new HashSet<EndpointSlot>(oldSlots);
        keptSlots.IntersectWith(newSlots);
        oldSlots.RemoveAll(keptSlots.Contains);
        newSlots.RemoveAll(keptSlots.Contains);
        var before = diff.Removed.Concat(diff.Changed.Select(c => c.Old)).ToList();
        var after = diff.Added.Concat(diff.Changed.Select(c => c.New)).ToList();
        var hairpin = _hairpin.Apply(before.SelectMany(HairpinUses), after.SelectMany(HairpinUses));
        var picks = _picks.Apply(before.SelectMany(PickChain.Of), after.SelectMany(PickChain.Of));

        WriteElements(batch, oldElements, delete: true);
        WriteSlots(batch, oldSlots, delete: true);
        HairpinElements.Write(batch, hairpin.Gone, delete: true);
        foreach (var pick in picks.Gone)
        {
            RemoveChain(batch, pick.Name);
        }

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

        foreach (var pick in picks.New)
        {
            pick.Add(batch);
        }

        WriteElements(batch, newElements, delete: false);
        WriteSlots(batch, newSlots, delete: false);
        HairpinElements.Write(batch, hairpin.New, delete: false);
    }

    private static void AppendProgrammed(ServicePortSpec spec, List<MapElement> elements, List<EndpointSlot> slots)
    {
        if (IsProgrammed(spec))
        {
            AppendElements(spec, elements);
            AppendSlots(spec, slots);
        }
    }

    /// <summary>What every rule of a port says depends on protocol and affinity: when either changes, the port is rebuilt whole.</summary>
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

        if (UsesSlots(now))
        {
            // Elements only: the diffs above and the pick chains hold everything such a port is.
            return;
        }

        var stem = Stem(now.Id);
        foreach (var endpoint in now.Endpoints.Except(old.Endpoints))
        {
            AddEndpoint(batch, now, stem, endpoint);
        }

        if (!old.Endpoints.AsSpan().SequenceEqual(now.Endpoints.AsSpan()))
        {
            NfChain.Flush(batch, Table, ServiceChain(stem));
            WriteServiceRules(batch, now, stem);
        }

        if (NeedsExternalChain(old) && !NeedsExternalChain(now))
        {
            RemoveChain(batch, ExternalChain(stem));
        }
        else if (!NeedsExternalChain(old) && NeedsExternalChain(now))
        {
            AddExternalChain(batch, stem);
        }

        foreach (var endpoint in old.Endpoints.Except(now.Endpoints))
        {
            RemoveEndpoint(batch, stem, endpoint);
        }
    }
}
