using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Controllers.GarbageCollector;

/// <summary>
/// Owners and dependents by uid, built from the informers' events (Kubernetes' GraphBuilder
/// uidToNode). Thread-safe: the informers of several kinds feed it at once. It only says whom to
/// look at; every decision to delete is checked against the live objects.
/// </summary>
internal sealed class DependencyGraph
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, GraphNode> _nodes = new(StringComparer.Ordinal);

    /// <summary>
    /// Records <paramref name="obj"/> as observed; returns the uids of the owners it stopped naming
    /// (they may be waiting for it to go).
    /// </summary>
    public List<string> Observe(ObjectIdentity identity, KubeObject obj)
    {
        lock (_lock)
        {
            var node = NodeOf(identity);
            node.Identity = identity;
            var before = node.Owners;
            node.Observe(obj);
            var dropped = new List<string>();
            foreach (var owner in before)
            {
                if (!node.Owners.Any(o => o.Uid == owner.Uid))
                {
                    Unlink(owner.Uid, identity.Uid);
                    dropped.Add(owner.Uid);
                }
            }

            foreach (var owner in node.Owners)
            {
                // An owner not seen (yet, or ever) is a virtual node holding its dependents.
                NodeOf(ObjectIdentity.Of(owner, identity.Namespace)).Dependents.Add(identity.Uid);
            }

            return dropped;
        }
    }

    /// <summary>
    /// Records that the object is gone; returns its owners' uids and its dependents' uids (each now
    /// to be looked at). It stays as a virtual node while dependents still name it.
    /// </summary>
    public (List<string> Owners, List<string> Dependents) Remove(string uid)
    {
        lock (_lock)
        {
            if (!_nodes.TryGetValue(uid, out var node))
            {
                return ([], []);
            }

            var owners = node.Owners.Select(o => o.Uid).ToList();
            foreach (var owner in owners)
            {
                Unlink(owner, uid);
            }

            node.Observed = false;
            node.Owners = [];
            node.BeingDeleted = node.DeletingDependents = node.Orphaning = false;
            var dependents = node.Dependents.ToList();
            if (dependents.Count == 0)
            {
                _nodes.Remove(uid);
            }

            return (owners, dependents);
        }
    }

    /// <summary>A copy of what is known of <paramref name="uid"/>, or null.</summary>
    public NodeView? Find(string uid)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(uid, out var node) ? View(node) : null;
        }
    }

    private GraphNode NodeOf(ObjectIdentity identity)
    {
        if (!_nodes.TryGetValue(identity.Uid, out var node))
        {
            node = new GraphNode(identity);
            _nodes[identity.Uid] = node;
        }

        return node;
    }

    private void Unlink(string ownerUid, string dependentUid)
    {
        if (_nodes.TryGetValue(ownerUid, out var owner) && owner.Dependents.Remove(dependentUid) && !owner.Observed && owner.Dependents.Count == 0)
        {
            _nodes.Remove(ownerUid);
        }
    }

    private static NodeView View(GraphNode node) =>
        new(node.Identity, node.Observed, node.Owners, node.BeingDeleted, node.DeletingDependents, node.Orphaning);
}

/// <summary>A snapshot of one graph node, safe to read outside the graph's lock.</summary>
internal sealed record NodeView(
    ObjectIdentity Identity, bool Observed, IReadOnlyList<OwnerReference> Owners, bool BeingDeleted, bool DeletingDependents, bool Orphaning);
