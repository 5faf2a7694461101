using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;

namespace KubeProxyFast.Controllers.GarbageCollector;

public sealed partial class GarbageCollector
{
    /// <summary>
    /// Kubernetes' attemptToDeleteItem: looks at the live object; one being deleted in the
    /// foreground waits for its blocking dependents; otherwise its owners are read live and
    /// classified — present (solid), absent (dangling: not found, or another uid under the name),
    /// or deleting in the foreground (waiting). Any solid owner keeps it (references to absent or
    /// waiting owners are removed); none deletes it, in the foreground when a waiting owner needs
    /// its own dependents gone first.
    /// </summary>
    private async Task AttemptToDeleteAsync(string uid, CancellationToken cancellationToken)
    {
        if (_graph.Find(uid) is not { Observed: true } node || (node.BeingDeleted && !node.DeletingDependents))
        {
            // Virtual (its dependents are looked at themselves), gone, or on its way out: the final deletion brings its dependents back here.
            return;
        }

        var identity = node.Identity;
        var resource = _resources.Find(identity)!;
        var latest = await resource.GetAsync(identity.Namespace, identity.Name, cancellationToken).ConfigureAwait(false);
        if (latest is null || latest.Metadata.Uid != uid)
        {
            // Gone (or replaced): the informer's delete event will follow.
            return;
        }

        var meta = latest.Metadata;
        if (meta.DeletionTimestamp is not null)
        {
            if (meta.Finalizers?.Contains(GarbageCollectionFinalizers.DeleteDependents) == true)
            {
                await ProcessDeletingDependentsAsync(resource, latest, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (meta.OwnerReferences is not { Count: > 0 } owners)
        {
            return;
        }

        var references = await ClassifyAsync(identity, owners, cancellationToken).ConfigureAwait(false);
        if (references is null)
        {
            return;
        }

        var (solid, dangling, waiting) = references.Value;
        if (solid.Count > 0)
        {
            if (dangling.Count + waiting.Count == 0)
            {
                return;
            }

            // Absent owners' references go; so do waiting owners', or they would wait forever for a dependent that another owner keeps.
            var remove = dangling.Concat(waiting).Select(o => o.Uid).ToHashSet(StringComparer.Ordinal);
            LogRemovingReferences(_logger, identity, remove.Count);
            var kept = owners.Where(o => !remove.Contains(o.Uid)).ToList();
            await resource.PatchAsync(identity.Namespace, identity.Name, MetadataPatch.OwnerReferences(kept, meta.ResourceVersion), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        string policy;
        if (waiting.Count > 0 && DependentsOf(identity).Count > 0)
        {
            // An owner waits for this one's removal, and this one has dependents of its own: they go first.
            policy = PropagationPolicies.Foreground;
        }
        else if (meta.Finalizers?.Contains(GarbageCollectionFinalizers.Orphan) == true)
        {
            policy = PropagationPolicies.Orphan;
        }
        else if (meta.Finalizers?.Contains(GarbageCollectionFinalizers.DeleteDependents) == true)
        {
            policy = PropagationPolicies.Foreground;
        }
        else
        {
            policy = PropagationPolicies.Background;
        }

        LogDeleting(_logger, identity, policy);
        await DeleteAsync(resource, identity, new DeleteOptions
        {
            PropagationPolicy = policy,
            // Exactly the object that was judged: not a successor under the name, not a later state that gained an owner.
            Preconditions = new Preconditions { Uid = uid, ResourceVersion = meta.ResourceVersion },
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The owners of <paramref name="dependent"/>, each read live by name and compared by uid;
    /// null when a reference cannot be judged (a kind this server does not serve, an owner that
    /// lives in another namespace) — the dependent is then left alone, with the reason logged.
    /// </summary>
    private async Task<(List<OwnerReference> Solid, List<OwnerReference> Dangling, List<OwnerReference> Waiting)?> ClassifyAsync(
        ObjectIdentity dependent, IReadOnlyList<OwnerReference> owners, CancellationToken cancellationToken)
    {
        List<OwnerReference> solid = [], dangling = [], waiting = [];
        foreach (var reference in owners)
        {
            var resource = _resources.Find(reference.ApiVersion, reference.Kind);
            if (resource is null)
            {
                LogUnresolvableOwner(_logger, dependent, reference.ApiVersion, reference.Kind, reference.Name);
                return null;
            }

            if (resource.Kind.Namespaced && dependent.Namespace is null)
            {
                LogInvalidOwner(_logger, dependent, $"a cluster-scoped object cannot be owned by the namespaced {reference.Kind} {reference.Name}");
                return null;
            }

            if (resource.Kind.Namespaced && _graph.Find(reference.Uid) is { Observed: true } known && known.Identity.Namespace != dependent.Namespace)
            {
                LogInvalidOwner(_logger, dependent,
                    $"its owner {reference.Kind} {reference.Name} (uid {reference.Uid}) is in namespace {known.Identity.Namespace}; owners must be in the dependent's namespace");
                return null;
            }

            var owner = await resource.GetAsync(dependent.Namespace, reference.Name, cancellationToken).ConfigureAwait(false);
            if (owner is null || owner.Metadata.Uid != reference.Uid)
            {
                dangling.Add(reference);
            }
            else if (owner.Metadata.DeletionTimestamp is not null && owner.Metadata.Finalizers?.Contains(GarbageCollectionFinalizers.DeleteDependents) == true)
            {
                waiting.Add(reference);
            }
            else
            {
                solid.Add(reference);
            }
        }

        return (solid, dangling, waiting);
    }

    /// <summary>
    /// An owner deleted in the foreground: once no dependent blocks it, its finalizer goes (and
    /// with it the owner); until then its blocking dependents are queued for deletion, and their
    /// deletion events bring it back here.
    /// </summary>
    private async Task ProcessDeletingDependentsAsync(GcResource resource, KubeObject owner, CancellationToken cancellationToken)
    {
        var uid = owner.Metadata.Uid!;
        var blocking = DependentsOf(ObjectIdentity.Of(resource, owner))
            .Where(d => d.Object.Metadata.OwnerReferences?.Exists(o => o.Uid == uid && o.BlockOwnerDeletion == true) == true)
            .ToList();
        if (blocking.Count == 0)
        {
            await RemoveFinalizerAsync(resource, owner, GarbageCollectionFinalizers.DeleteDependents, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var (_, dependent) in blocking)
        {
            // One itself waiting for its own dependents is on its way; the others are deleted now.
            if (dependent.Metadata.DeletionTimestamp is null)
            {
                _attemptToDelete.Add(dependent.Metadata.Uid!);
            }
        }
    }

    private static async Task DeleteAsync(GcResource resource, ObjectIdentity identity, DeleteOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await resource.DeleteAsync(identity.Namespace, identity.Name, options, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Gone already: what was wanted.
        }
    }
}
