using System.Net;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Controllers.NodeIpam;

/// <summary>
/// Which pod CIDR each node holds, over one <see cref="CidrSet"/>, as Kubernetes' range allocator.
/// Thread-safe: one lock around the bitmap and the record, so two nodes never get the same CIDR.
/// A CIDR handed out is remembered for its node (name and uid) until the node is gone, so a node
/// synced again before its patch shows in the informer gets the same CIDR, never a second one.
/// </summary>
internal sealed class NodeCidrAllocator
{
    private readonly Lock _lock = new();
    private readonly CidrSet _set;
    private readonly Dictionary<string, Holding> _held = new(StringComparer.Ordinal);
    // Nodes that found the range full: synced again when a CIDR is released.
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);

    public NodeCidrAllocator(CidrSet set) => _set = set;

    /// <summary>The cluster CIDR.</summary>
    public IPNetwork Cluster => _set.Cluster;

    /// <summary>Node subnets in use (held by nodes or excluded).</summary>
    public int Used
    {
        get
        {
            lock (_lock)
            {
                return _set.Used;
            }
        }
    }

    /// <summary>Node subnets in all.</summary>
    public int Max => _set.Max;

    /// <summary>Marks <paramref name="cidr"/> as never to be handed out (the service range).</summary>
    public void Exclude(IPNetwork cidr)
    {
        lock (_lock)
        {
            if (_set.Overlaps(cidr))
            {
                _set.Occupy(cidr);
            }
        }
    }

    /// <summary>
    /// What <paramref name="node"/> needs: nothing when it has a pod CIDR (now recorded as its), the
    /// CIDR to patch onto it (new, or the one it was given before), or null when the range is full.
    /// </summary>
    /// <param name="node">The node, as the informer has it.</param>
    /// <param name="foreign">Set to the node's pod CIDR when it is not a valid CIDR inside the cluster CIDR (left as it is).</param>
    public Decision Decide(Node node, out string? foreign)
    {
        foreign = null;
        var name = node.Metadata.Name!;
        var uid = node.Metadata.Uid ?? "";
        var existing = node.Spec?.PodCIDRs is [var first, ..] ? first : node.Spec?.PodCIDR;
        lock (_lock)
        {
            if (_held.TryGetValue(name, out var holding) && holding.Uid != uid)
            {
                // The node was deleted and created again under the same name: the old one's CIDR is free.
                ReleaseLocked(name);
                holding = null;
            }

            if (!string.IsNullOrEmpty(existing))
            {
                _waiting.Remove(name);
                if (!IPNetwork.TryParse(existing, out var cidr) || !_set.Overlaps(cidr))
                {
                    foreign = existing;
                    return Decision.None;
                }

                if (holding is not null && holding.Cidr != cidr)
                {
                    ReleaseLocked(name);
                }

                _set.Occupy(cidr);
                _held[name] = new Holding(uid, cidr);
                return Decision.None;
            }

            if (holding is not null)
            {
                return Decision.Patch(holding.Cidr);
            }

            if (!_set.TryAllocateNext(out var next))
            {
                _waiting.Add(name);
                return Decision.Exhausted;
            }

            _waiting.Remove(name);
            _held[name] = new Holding(uid, next);
            return Decision.Patch(next);
        }
    }

    /// <summary>Releases the CIDR of node <paramref name="name"/> (gone); returns it, or null, and the nodes waiting for a CIDR.</summary>
    public (IPNetwork? Released, string[] Waiting) Release(string name)
    {
        lock (_lock)
        {
            _waiting.Remove(name);
            var released = ReleaseLocked(name);
            return (released, released is null ? [] : [.. _waiting]);
        }
    }

    private IPNetwork? ReleaseLocked(string name)
    {
        if (!_held.Remove(name, out var holding))
        {
            return null;
        }

        // Another node may claim the same CIDR (written by hand): then it stays in use.
        foreach (var other in _held.Values)
        {
            if (other.Cidr == holding.Cidr)
            {
                return null;
            }
        }

        _set.Release(holding.Cidr);
        return holding.Cidr;
    }

    private sealed record Holding(string Uid, IPNetwork Cidr);

    /// <summary>The outcome of <see cref="Decide"/>.</summary>
    public readonly record struct Decision(IPNetwork? Cidr, bool IsExhausted)
    {
        public static Decision None => default;

        public static Decision Exhausted => new(null, true);

        public static Decision Patch(IPNetwork cidr) => new(cidr, false);
    }
}
