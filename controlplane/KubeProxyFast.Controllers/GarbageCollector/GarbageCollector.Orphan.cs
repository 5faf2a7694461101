using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;

namespace KubeProxyFast.Controllers.GarbageCollector;

public sealed partial class GarbageCollector
{
    /// <summary>
    /// Kubernetes' attemptToOrphanWorker: an owner deleted with the <c>orphan</c> finalizer. Its
    /// reference is removed from each of its dependents (read live; one gone or replaced is
    /// skipped), then the finalizer from the owner, which the apiserver then deletes.
    /// </summary>
    private async Task AttemptToOrphanAsync(string uid, CancellationToken cancellationToken)
    {
        if (_graph.Find(uid) is not { Observed: true, Orphaning: true } node)
        {
            return;
        }

        var dependents = DependentsOf(node.Identity);
        foreach (var (resource, dependent) in dependents)
        {
            await RemoveOwnerReferenceAsync(resource, ObjectIdentity.Of(resource, dependent), uid, cancellationToken).ConfigureAwait(false);
        }

        var identity = node.Identity;
        var ownerResource = _resources.Find(identity)!;
        var owner = await ownerResource.GetAsync(identity.Namespace, identity.Name, cancellationToken).ConfigureAwait(false);
        if (owner is null || owner.Metadata.Uid != uid)
        {
            return;
        }

        LogOrphaned(_logger, identity, dependents.Count);
        await RemoveFinalizerAsync(ownerResource, owner, GarbageCollectionFinalizers.Orphan, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RemoveOwnerReferenceAsync(GcResource resource, ObjectIdentity dependent, string ownerUid, CancellationToken cancellationToken)
    {
        var latest = await resource.GetAsync(dependent.Namespace, dependent.Name, cancellationToken).ConfigureAwait(false);
        if (latest is null || latest.Metadata.Uid != dependent.Uid || latest.Metadata.OwnerReferences is not { } owners || !owners.Exists(o => o.Uid == ownerUid))
        {
            return;
        }

        var kept = owners.Where(o => o.Uid != ownerUid).ToList();
        await PatchAsync(resource, dependent, MetadataPatch.OwnerReferences(kept, latest.Metadata.ResourceVersion), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes <paramref name="finalizer"/> from <paramref name="owner"/> (as read live); the apiserver deletes it when none remain.</summary>
    private async Task RemoveFinalizerAsync(GcResource resource, KubeObject owner, string finalizer, CancellationToken cancellationToken)
    {
        var finalizers = owner.Metadata.Finalizers ?? [];
        if (!finalizers.Contains(finalizer))
        {
            return;
        }

        var identity = ObjectIdentity.Of(resource, owner);
        LogRemovingFinalizer(_logger, identity, finalizer);
        var kept = finalizers.Where(f => f != finalizer).ToList();
        await PatchAsync(resource, identity, MetadataPatch.Finalizers(kept, owner.Metadata.ResourceVersion), cancellationToken).ConfigureAwait(false);
    }

    private static async Task PatchAsync(GcResource resource, ObjectIdentity identity, string patch, CancellationToken cancellationToken)
    {
        try
        {
            await resource.PatchAsync(identity.Namespace, identity.Name, patch, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Gone meanwhile: nothing left to change.
        }
    }
}
