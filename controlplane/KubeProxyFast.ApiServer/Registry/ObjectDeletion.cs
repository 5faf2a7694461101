using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.ApiServer.Registry;

/// <summary>
/// A delete of one object, as kube-apiserver's registry deletes (its Store.Delete): graceful
/// deletion for kinds that have it (pods on a node get a deletionTimestamp and wait for their
/// kubelet), the garbage collector's finalizers from the propagation policy, and finalizers that
/// hold the object — marked with a deletionTimestamp and answered 200 — until an update removes
/// the last of them (<see cref="ObjectRegistry.UpdateAsync"/> then deletes it).
/// </summary>
internal static class ObjectDeletion
{
    /// <summary>
    /// Deletes or marks <paramref name="name"/>; answers the object deleted, or as marked (or, for a
    /// dry run, as it would be, with nothing changed).
    /// </summary>
    public static async Task<KubeObject> DeleteAsync(
        ObjectRegistry registry, ResourceDefinition resource, string? ns, string name, DeleteOptions options,
        DateTimeOffset now, CancellationToken cancellationToken, bool dryRun = false)
    {
        var existing = await registry.GetAsync(resource, ns, name, cancellationToken).ConfigureAwait(false);
        ObjectRegistry.CheckPreconditions(resource, existing, options.Preconditions);
        // What this delete would do to the object as read: an update only when it changes something.
        var planned = Plan(resource, existing, options, now);
        if (planned == Outcome.AlreadyDeleting)
        {
            return existing;
        }

        var preconditions = options.Preconditions;
        if (planned == Outcome.Marked)
        {
            var outcome = Outcome.Marked;
            var marked = await registry.UpdateAsync(resource, ns, name, current =>
            {
                ObjectRegistry.CheckPreconditions(resource, current, options.Preconditions);
                outcome = Plan(resource, current, options, now, apply: true);
                return new Mutation(current, null) { MarksDeletion = true };
            }, cancellationToken, dryRun).ConfigureAwait(false);
            if (outcome != Outcome.DeleteNow || dryRun)
            {
                return marked;
            }

            // The object may have changed since the client read it; the precondition was checked on the state that decided.
            if (preconditions?.ResourceVersion is { Length: > 0 })
            {
                preconditions = new Preconditions { Uid = preconditions.Uid, ResourceVersion = marked.Metadata.ResourceVersion };
            }
        }

        return await registry.DeleteAsync(resource, ns, name, preconditions, cancellationToken, dryRun).ConfigureAwait(false);
    }

    /// <summary>What a delete does to an object in a given state.</summary>
    private enum Outcome
    {
        /// <summary>Removed from the store now.</summary>
        DeleteNow,

        /// <summary>Kept, with a deletionTimestamp (grace or finalizers pending), and maybe new finalizers.</summary>
        Marked,

        /// <summary>A graceful deletion at least as short is already under way: nothing changes.</summary>
        AlreadyDeleting,
    }

    /// <summary>
    /// Decides what the delete does to <paramref name="obj"/>, as Kubernetes' BeforeDelete and
    /// updateForGracefulDeletionAndFinalizers do; with <paramref name="apply"/>, changes it so.
    /// A grace period of 0 with nothing pending deletes at once without writing the mark first.
    /// </summary>
    private static Outcome Plan(ResourceDefinition resource, KubeObject obj, DeleteOptions options, DateTimeOffset now, bool apply = false)
    {
        var meta = obj.Metadata;
        var grace = GraceOf(resource, obj, options.GracePeriodSeconds, out var pendingGraceful);
        if (pendingGraceful)
        {
            return Outcome.AlreadyDeleting;
        }

        var finalizers = FinalizersFor(resource, meta, options);
        if (grace is null)
        {
            // Not graceful: finalizers pending mark the object (grace 0); none deletes it.
            if (finalizers.Count == 0)
            {
                return Outcome.DeleteNow;
            }

            if (apply)
            {
                meta.Finalizers = finalizers;
                MarkAsDeleting(meta, now);
            }

            return Outcome.Marked;
        }

        if (grace.Value == 0 && finalizers.Count == 0)
        {
            return Outcome.DeleteNow;
        }

        if (apply)
        {
            meta.Finalizers = finalizers.Count > 0 ? finalizers : null;
            ApplyGrace(meta, grace.Value, options.GracePeriodSeconds, now);
        }

        return Outcome.Marked;
    }

    /// <summary>
    /// The grace period this delete sets, or null when the deletion is not graceful (the kind has
    /// none, or an earlier delete already set grace 0). <paramref name="pendingGraceful"/> when a
    /// graceful deletion is under way and this one does not shorten it.
    /// </summary>
    private static long? GraceOf(ResourceDefinition resource, KubeObject obj, long? requested, out bool pendingGraceful)
    {
        pendingGraceful = false;
        var meta = obj.Metadata;
        var first = resource.Strategy.GracePeriod(obj, requested);
        if (first is null)
        {
            return null;
        }

        if (meta.DeletionTimestamp is null)
        {
            return first;
        }

        // Already deleting: only a shorter grace period changes anything.
        if (meta.DeletionGracePeriodSeconds is null or 0)
        {
            return null;
        }

        if (requested is null || requested.Value >= meta.DeletionGracePeriodSeconds)
        {
            pendingGraceful = true;
            return null;
        }

        return requested;
    }

    /// <summary>
    /// Sets the deletion timestamp and grace period. A first delete starts the grace period now
    /// (and bumps the generation, as a spec-visible change); a shorter second one moves the
    /// deadline earlier, never into the past — a graceful one then keeps at least 1 second, so its
    /// kubelet still completes it.
    /// </summary>
    private static void ApplyGrace(ObjectMeta meta, long grace, long? requested, DateTimeOffset now)
    {
        now = Handlers.ObjectLifecycle.Seconds(now);
        if (meta.DeletionTimestamp is null)
        {
            meta.DeletionTimestamp = now.AddSeconds(grace);
            meta.DeletionGracePeriodSeconds = grace;
            if (meta.Generation > 0)
            {
                meta.Generation++;
            }

            return;
        }

        if (requested is null || meta.DeletionGracePeriodSeconds is not { } previous || requested.Value >= previous)
        {
            return;
        }

        var period = requested.Value;
        var deadline = meta.DeletionTimestamp.Value.AddSeconds(period - previous);
        if (deadline < now)
        {
            deadline = now;
            if (period != 0)
            {
                period = 1;
            }
        }

        meta.DeletionTimestamp = deadline;
        meta.DeletionGracePeriodSeconds = period;
    }

    /// <summary>Kubernetes' markAsDeleting: deletion now (or earlier, if it was), grace 0.</summary>
    private static void MarkAsDeleting(ObjectMeta meta, DateTimeOffset now)
    {
        now = Handlers.ObjectLifecycle.Seconds(now);
        if (meta.DeletionTimestamp is null && meta.Generation > 0)
        {
            meta.Generation++;
        }

        if (meta.DeletionTimestamp is null || meta.DeletionTimestamp > now)
        {
            meta.DeletionTimestamp = now;
        }

        meta.DeletionGracePeriodSeconds = 0;
    }

    /// <summary>
    /// The finalizers the object keeps after this delete: its own, with <c>orphan</c> or
    /// <c>foregroundDeletion</c> as the options say (<c>orphanDependents</c> first, then
    /// <c>propagationPolicy</c>), else as it already has, else as its kind defaults — Kubernetes'
    /// deletionFinalizersForGarbageCollection. Kinds without garbage collection keep theirs as they are.
    /// </summary>
    private static List<string> FinalizersFor(ResourceDefinition resource, ObjectMeta meta, DeleteOptions options)
    {
        var current = meta.Finalizers ?? [];
        var policy = resource.Strategy.DefaultGarbageCollectionPolicy;
        if (policy == GarbageCollectionPolicy.Unsupported)
        {
            return [.. current];
        }

        var orphan = ShouldOrphan(current, options, policy);
        var foreground = !orphan && ShouldDeleteInForeground(current, options);
        var result = current.Where(f => f is not (GarbageCollectionFinalizers.Orphan or GarbageCollectionFinalizers.DeleteDependents)).ToList();
        if (orphan)
        {
            result.Add(GarbageCollectionFinalizers.Orphan);
        }

        if (foreground)
        {
            result.Add(GarbageCollectionFinalizers.DeleteDependents);
        }

        // Unchanged as a set: keep the object's own order, so nothing is written for it.
        return result.Count == current.Count && result.All(current.Contains) ? [.. current] : result;
    }

    private static bool ShouldOrphan(List<string> finalizers, DeleteOptions options, GarbageCollectionPolicy policy)
    {
        if (options.OrphanDependents is { } orphanDependents)
        {
            return orphanDependents;
        }

        switch (options.PropagationPolicy)
        {
            case PropagationPolicies.Orphan:
                return true;
            case PropagationPolicies.Background or PropagationPolicies.Foreground:
                return false;
        }

        foreach (var finalizer in finalizers)
        {
            switch (finalizer)
            {
                case GarbageCollectionFinalizers.Orphan:
                    return true;
                case GarbageCollectionFinalizers.DeleteDependents:
                    return false;
            }
        }

        return policy == GarbageCollectionPolicy.OrphanDependents;
    }

    private static bool ShouldDeleteInForeground(List<string> finalizers, DeleteOptions options)
    {
        if (options.OrphanDependents is not null)
        {
            return false;
        }

        switch (options.PropagationPolicy)
        {
            case PropagationPolicies.Foreground:
                return true;
            case PropagationPolicies.Background or PropagationPolicies.Orphan:
                return false;
        }

        foreach (var finalizer in finalizers)
        {
            switch (finalizer)
            {
                case GarbageCollectionFinalizers.DeleteDependents:
                    return true;
                case GarbageCollectionFinalizers.Orphan:
                    return false;
            }
        }

        return false;
    }
}
