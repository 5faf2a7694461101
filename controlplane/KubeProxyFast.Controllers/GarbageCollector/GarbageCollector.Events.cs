using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Controllers.GarbageCollector;

public sealed partial class GarbageCollector
{
    // The informers' handlers: they update the graph and queue whom to look at, nothing more
    // (Kubernetes' processGraphChanges). Every decision is made by the workers on live objects.

    private void OnAdd(GcResource resource, KubeObject obj) => Observed(resource, obj, ownersChanged: true);

    private void OnUpdate(GcResource resource, KubeObject old, KubeObject now) =>
        Observed(resource, now, ownersChanged: !SameOwners(old.Metadata.OwnerReferences, now.Metadata.OwnerReferences));

    private void OnDelete(GcResource resource, KubeObject obj)
    {
        if (obj.Metadata.Uid is not { Length: > 0 } uid)
        {
            return;
        }

        var (owners, dependents) = _graph.Remove(uid);
        // Its dependents may have lost their last owner; owners deleting in the foreground may have lost their last blocker.
        foreach (var dependent in dependents.Concat(DependentsOf(ObjectIdentity.Of(resource, obj)).Select(d => d.Object.Metadata.Uid!)))
        {
            _attemptToDelete.Add(dependent);
        }

        QueueWaitingOwners(owners);
    }

    private void Observed(GcResource resource, KubeObject obj, bool ownersChanged)
    {
        if (obj.Metadata.Uid is not { Length: > 0 } uid)
        {
            return;
        }

        var dropped = _graph.Observe(ObjectIdentity.Of(resource, obj), obj);
        var node = _graph.Find(uid)!;
        if (ownersChanged && node.Owners.Any(o => NeedsLiveCheck(o, node.Identity)))
        {
            _attemptToDelete.Add(uid);
        }

        if (node.Orphaning)
        {
            _attemptToOrphan.Add(uid);
        }

        if (node.DeletingDependents)
        {
            // It waits for its dependents: delete them, and look at it again to see whether any still block.
            _attemptToDelete.Add(uid);
            foreach (var (_, dependent) in DependentsOf(node.Identity))
            {
                _attemptToDelete.Add(dependent.Metadata.Uid!);
            }
        }

        QueueWaitingOwners(dropped);
        // A dependent that changes (deleting, unblocking) may be what a foreground owner waits on.
        QueueWaitingOwners(node.Owners.Select(o => o.Uid));
    }

    /// <summary>
    /// The cached objects that name <paramref name="owner"/> as owner, in its namespace when it is
    /// namespaced (a reference from another namespace is invalid and is not its dependent).
    /// </summary>
    private List<(GcResource Resource, KubeObject Object)> DependentsOf(ObjectIdentity owner)
    {
        var namespaced = _resources.Find(owner)?.Kind.Namespaced ?? true;
        var dependents = new List<(GcResource, KubeObject)>();
        foreach (var resource in _resources.All)
        {
            foreach (var obj in resource.DependentsOf(owner.Uid))
            {
                if (!namespaced || obj.Metadata.Namespace == owner.Namespace)
                {
                    dependents.Add((resource, obj));
                }
            }
        }

        return dependents;
    }

    /// <summary>
    /// True for an owner the graph cannot vouch for, so the dependent is checked against the live
    /// objects (Kubernetes' addDependentToOwners): not observed (absent, or not seen yet), observed
    /// under another identity (another namespace, kind or name than the reference says), or
    /// deleting its dependents. An observed owner's deletion queues its dependents when it comes,
    /// so a new dependent of a live owner costs no reads.
    /// </summary>
    private bool NeedsLiveCheck(OwnerReference owner, ObjectIdentity dependent)
    {
        if (_graph.Find(owner.Uid) is not { Observed: true } seen)
        {
            return true;
        }

        var identity = seen.Identity;
        return seen.DeletingDependents
            || identity.ApiVersion != owner.ApiVersion || identity.Kind != owner.Kind || identity.Name != owner.Name
            || (identity.Namespace is { Length: > 0 } ns && ns != dependent.Namespace);
    }

    private void QueueWaitingOwners(IEnumerable<string> owners)
    {
        foreach (var owner in owners)
        {
            if (_graph.Find(owner) is { DeletingDependents: true })
            {
                _attemptToDelete.Add(owner);
            }
        }
    }

    private static bool SameOwners(List<OwnerReference>? a, List<OwnerReference>? b)
    {
        a ??= [];
        b ??= [];
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Uid != b[i].Uid || a[i].BlockOwnerDeletion != b[i].BlockOwnerDeletion || a[i].Name != b[i].Name || a[i].Kind != b[i].Kind)
            {
                return false;
            }
        }

        return true;
    }
}
