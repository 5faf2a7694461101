using System.Globalization;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Allocation;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Registry;

/// <summary>What a read-modify-write makes of the current object.</summary>
/// <param name="Updated">The new object, prepared and validated.</param>
/// <param name="Precondition">The resourceVersion the client required, or null for "whatever is current".</param>
internal readonly record struct Mutation(KubeObject Updated, string? Precondition)
{
    /// <summary>
    /// Marks a deletion (a deletionTimestamp, a Terminating phase): the server's own few fields
    /// may take an object up to <see cref="ObjectRegistry.DeletionSlackBytes"/> past the object
    /// limit, so an object accepted at the limit can still be deleted. The store's limit leaves
    /// room for it (the object limit is etcd's less 64 KiB).
    /// </summary>
    public bool MarksDeletion { get; init; }

    /// <summary>
    /// A client's update (PUT, PATCH, status, scale): when it leaves an object whose deletion is
    /// due (deletionTimestamp, grace 0) without finalizers, the object is deleted instead of
    /// written — Kubernetes' ShouldDeleteDuringUpdate, how removing the last finalizer completes a delete.
    /// </summary>
    public bool CompletesDeletion { get; init; }
}

internal sealed partial class ObjectRegistry
{
    /// <summary>
    /// Updates an object from its current state: reads it, lets <paramref name="mutate"/> build the
    /// new one (it gets a fresh copy), and commits on "mod revision unchanged". A lost race is
    /// retried from a fresh read unless the client gave a resourceVersion, which answers 409.
    /// An update that changes nothing writes nothing (no new revision, no watch event). A dry run
    /// does all of it but the write, and answers the object it would have stored, at the current resourceVersion.
    /// </summary>
    public async Task<KubeObject> UpdateAsync(
        ResourceDefinition resource, string? ns, string name, Func<KubeObject, Mutation> mutate, CancellationToken cancellationToken, bool dryRun = false)
    {
        var key = resource.Key(ns, name);
        for (var attempt = 1; ; attempt++)
        {
            var value = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw StatusErrors.NotFound(resource.Name, name, resource.Group);
            var decoded = ObjectCodec.Decode(resource, value);
            var deletionDue = decoded.Metadata.DeletionTimestamp is not null && decoded.Metadata.DeletionGracePeriodSeconds is null or 0;
            var mutation = mutate(decoded);
            var currentVersion = value.ModRevision.ToString(CultureInfo.InvariantCulture);
            if (mutation.Precondition is { Length: > 0 } required && required != currentVersion)
            {
                // A precondition that is no revision at all can never hold: say so, not "modified".
                throw Selection.ResourceVersions.TryParse(required, out _)
                    ? StatusErrors.StaleResourceVersion(resource.Name, name, resource.Group)
                    : StatusErrors.InvalidResourceVersion("metadata.resourceVersion", required);
            }

            var updated = mutation.Updated;
            if (deletionDue && mutation.CompletesDeletion && updated.Metadata.Finalizers is null or { Count: 0 } && resource.Strategy.DeletesWhenFinalized)
            {
                var deleted = await TryDeleteAsync(key, value, ObjectCodec.Decode(resource, value), dryRun, cancellationToken).ConfigureAwait(false);
                if (deleted.Succeeded || deleted.Current[0] is null)
                {
                    // Gone, by this update or a racing one (both removed the last finalizer): what the client asked is done.
                    updated.Metadata.ResourceVersion = currentVersion;
                    return updated;
                }

                if (mutation.Precondition is { Length: > 0 })
                {
                    throw StatusErrors.StaleResourceVersion(resource.Name, name, resource.Group);
                }

                continue;
            }

            var bytes = ObjectCodec.Encode(updated);
            if (bytes.AsSpan().SequenceEqual(value.Value.Span))
            {
                updated.Metadata.ResourceVersion = currentVersion;
                return updated;
            }

            var plan = updated is Service service
                ? _allocator.PlanUpdate(service, (Service)ObjectCodec.Decode(resource, value), key)
                : null;
            ThrowIfTooLarge(resource, updated, bytes, plan, mutation.MarksDeletion ? value.Value.Length + DeletionSlackBytes : value.Value.Length);
            // Every write of an expiring object renews its time to live, as kube-apiserver's TTL function does (a dry run grants nothing).
            var put = new StorePut(key, bytes, dryRun ? 0 : await _leases.ForAsync(resource, cancellationToken).ConfigureAwait(false));
            var result = await CommitAsync(Txn(new StoreCondition(key, value.ModRevision), put, plan), plan, dryRun, cancellationToken)
                .ConfigureAwait(false);
            if (result.Succeeded)
            {
                updated.Metadata.ResourceVersion = dryRun ? currentVersion : result.Revision.ToString(CultureInfo.InvariantCulture);
                return updated;
            }

            if (result.Current[0] is null)
            {
                throw StatusErrors.NotFound(resource.Name, name, resource.Group);
            }

            if (result.Current[0]!.ModRevision == value.ModRevision && plan is not null)
            {
                // The object held; a node port it asked for did not.
                ThrowIfRequestedTaken((Service)updated, plan, result.Current);
            }
            else if (mutation.Precondition is { Length: > 0 })
            {
                throw StatusErrors.StaleResourceVersion(resource.Name, name, resource.Group);
            }

            if (attempt >= MaxAttempts)
            {
                throw StatusErrors.Conflict(resource.Name, name, $"the object kept changing; gave up after {MaxAttempts} attempts", resource.Group);
            }
        }
    }

    /// <summary>
    /// Deletes an object (releasing a service's allocations in the same transaction) and returns
    /// its last state. Preconditions on uid or resourceVersion answer 409 when they do not hold.
    /// A dry run checks the same and answers the same, deleting nothing.
    /// </summary>
    public async Task<KubeObject> DeleteAsync(
        ResourceDefinition resource, string? ns, string name, Preconditions? preconditions, CancellationToken cancellationToken, bool dryRun = false)
    {
        var key = resource.Key(ns, name);
        for (var attempt = 1; ; attempt++)
        {
            var value = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw StatusErrors.NotFound(resource.Name, name, resource.Group);
            var current = ObjectCodec.Decode(resource, value);
            CheckPreconditions(resource, current, preconditions);
            var result = await TryDeleteAsync(key, value, current, dryRun, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return current;
            }

            if (result.Current[0] is null)
            {
                throw StatusErrors.NotFound(resource.Name, name, resource.Group);
            }

            if (attempt >= MaxAttempts)
            {
                throw StatusErrors.Conflict(resource.Name, name, $"the object kept changing; gave up after {MaxAttempts} attempts", resource.Group);
            }
        }
    }

    /// <summary>Deletes <paramref name="key"/> if it is still at <paramref name="value"/>'s revision, with a service's allocations.</summary>
    private Task<StoreTxnResult> TryDeleteAsync(string key, StoreValue value, KubeObject current, bool dryRun, CancellationToken cancellationToken)
    {
        var plan = current is Service service ? _allocator.PlanDelete(service) : null;
        var operations = new List<StoreOperation> { new StoreDelete(key) };
        if (plan is not null)
        {
            operations.AddRange(plan.Operations);
        }

        return CommitAsync(new StoreTxn([new StoreCondition(key, value.ModRevision)], operations), plan, dryRun, cancellationToken);
    }

    /// <summary>A delete's preconditions against the object as read: 409 "Precondition failed" for either, as Kubernetes compares them.</summary>
    public static void CheckPreconditions(ResourceDefinition resource, KubeObject current, Preconditions? preconditions)
    {
        var name = current.Metadata.Name ?? "";
        if (preconditions?.Uid is { Length: > 0 } uid && uid != current.Metadata.Uid)
        {
            throw StatusErrors.Conflict(resource.Name, name,
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Metadata.Uid}", resource.Group);
        }

        if (preconditions?.ResourceVersion is { Length: > 0 } rv && rv != current.Metadata.ResourceVersion)
        {
            throw StatusErrors.Conflict(resource.Name, name,
                $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {current.Metadata.ResourceVersion}", resource.Group);
        }
    }

    /// <summary>
    /// Commits <paramref name="txn"/>, or for a dry run only evaluates its conditions (what the
    /// commit would have answered) and releases the allocations it planned.
    /// </summary>
    private async Task<StoreTxnResult> CommitAsync(StoreTxn txn, ServiceAllocation? plan, bool dryRun, CancellationToken cancellationToken)
    {
        StoreTxnResult result;
        try
        {
            result = dryRun
                ? await EvaluateAsync(txn, cancellationToken).ConfigureAwait(false)
                : await _store.CommitAsync(txn, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (plan is not null)
            {
                ServiceAllocator.Abort(plan, null);
            }

            throw;
        }

        if (plan is not null)
        {
            if (result.Succeeded && dryRun)
            {
                ServiceAllocator.Abort(plan, null);
            }
            else if (result.Succeeded)
            {
                ServiceAllocator.Commit(plan);
            }
            else
            {
                ServiceAllocator.Abort(plan, result.Current, firstCondition: 1);
            }
        }

        return result;
    }
}
