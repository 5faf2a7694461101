using System.Globalization;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Allocation;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Registry;

/// <summary>
/// Reads and conditional writes of API objects over the store: the one place that turns store
/// outcomes into Kubernetes' answers (404, 409 AlreadyExists, 409 Conflict) and that adds a
/// service's cluster IP and node ports to the service's own transaction.
/// </summary>
internal sealed partial class ObjectRegistry
{
    // Retries of a read-modify-write that lost a race without the client asking for a precondition
    // (an unconditional PUT, a patch): Kubernetes' GuaranteedUpdate retries likewise.
    private const int MaxAttempts = 16;

    private readonly IStore _store;
    private readonly ServiceAllocator _allocator;
    private readonly long _maxObjectBytes;
    private readonly ObjectLeases _leases;

    /// <param name="store">The store.</param>
    /// <param name="allocator">Cluster IPs and node ports.</param>
    /// <param name="maxObjectBytes">The largest stored encoding of an object; larger writes answer 413.</param>
    /// <param name="leases">The leases that writes of expiring objects (events) attach to.</param>
    public ObjectRegistry(IStore store, ServiceAllocator allocator, long maxObjectBytes, ObjectLeases leases)
    {
        _store = store;
        _allocator = allocator;
        _maxObjectBytes = maxObjectBytes;
        _leases = leases;
    }

    /// <summary>The store underneath (lists and watches read it directly).</summary>
    public IStore Store => _store;

    /// <summary>The object, or 404.</summary>
    public async Task<KubeObject> GetAsync(ResourceDefinition resource, string? ns, string name, CancellationToken cancellationToken)
    {
        var value = await _store.GetAsync(resource.Key(ns, name), cancellationToken).ConfigureAwait(false)
            ?? throw StatusErrors.NotFound(resource.Name, name, resource.Group);
        return ObjectCodec.Decode(resource, value);
    }

    /// <summary>The object, or null when absent.</summary>
    public async Task<KubeObject?> FindAsync(ResourceDefinition resource, string? ns, string name, CancellationToken cancellationToken)
    {
        var value = await _store.GetAsync(resource.Key(ns, name), cancellationToken).ConfigureAwait(false);
        return value is null ? null : ObjectCodec.Decode(resource, value);
    }

    /// <summary>
    /// Stores a new, prepared and validated object. A name taken answers 409 AlreadyExists, unless
    /// the name was generated: then a fresh one is tried. A dry run checks the same conditions and
    /// answers the same object (allocations included, no resourceVersion) without writing.
    /// </summary>
    public async Task<KubeObject> CreateAsync(ResourceDefinition resource, KubeObject obj, CancellationToken cancellationToken, bool dryRun = false)
    {
        var generated = string.IsNullOrEmpty(obj.Metadata.Name) && !string.IsNullOrEmpty(obj.Metadata.GenerateName);
        for (var attempt = 1; ; attempt++)
        {
            if (generated)
            {
                obj.Metadata.Name = NameGenerator.Generate(obj.Metadata.GenerateName!);
            }

            var key = resource.Key(obj.Metadata.Namespace, obj.Metadata.Name!);
            var plan = obj is Service service ? _allocator.PlanCreate(service, key) : null;
            var bytes = ObjectCodec.Encode(obj);
            ThrowIfTooLarge(resource, obj, bytes, plan);
            var lease = dryRun ? 0 : await _leases.ForAsync(resource, cancellationToken).ConfigureAwait(false);
            var txn = Txn(StoreCondition.Absent(key), new StorePut(key, bytes, lease), plan);
            var result = await CommitAsync(txn, plan, dryRun, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                obj.Metadata.ResourceVersion = dryRun ? null : result.Revision.ToString(CultureInfo.InvariantCulture);
                return obj;
            }

            if (result.Current[0] is not null)
            {
                if (generated && attempt < MaxAttempts)
                {
                    continue;
                }

                throw StatusErrors.AlreadyExists(resource.Name, obj.Metadata.Name!, resource.Group);
            }

            if (plan is not null)
            {
                ThrowIfRequestedTaken((Service)obj, plan, result.Current);
                ResetAutoAllocated((Service)obj, plan);
            }

            if (attempt >= MaxAttempts)
            {
                throw StatusErrors.Internal($"could not allocate for {resource.SingularName} \"{obj.Metadata.Name}\" after {MaxAttempts} attempts");
            }
        }
    }

    /// <summary>How much a deletion's own fields may add to an object already at the limit.</summary>
    public const int DeletionSlackBytes = 4096;

    /// <summary>
    /// 413 when the object's stored encoding passes the limit. Every write of an object comes
    /// here after its last change (decode, patch, defaults, the server's fields, allocations), so
    /// no path can store more: the store never sees a record it was not meant to hold. An object
    /// already stored above the limit (before the limit, or under a larger one) may still be
    /// rewritten no larger than it is, so it can be shrunk rather than be stuck; <paramref name="allowedAnyway"/>
    /// is that size (plus <see cref="DeletionSlackBytes"/> for a deletion).
    /// </summary>
    private void ThrowIfTooLarge(ResourceDefinition resource, KubeObject obj, byte[] bytes, ServiceAllocation? plan, int allowedAnyway = 0)
    {
        if (bytes.Length <= _maxObjectBytes || bytes.Length <= allowedAnyway)
        {
            return;
        }

        if (plan is not null)
        {
            ServiceAllocator.Abort(plan, null);
        }

        throw StatusErrors.ObjectTooLarge(resource.Name, obj.Metadata.Name ?? "", bytes.Length, _maxObjectBytes, resource.Group);
    }

    /// <summary>The object's own condition and operation, then its allocations' (conditions in that order: index 0 is the object).</summary>
    private static StoreTxn Txn(StoreCondition condition, StoreOperation operation, ServiceAllocation? plan)
    {
        var conditions = new List<StoreCondition> { condition };
        var operations = new List<StoreOperation> { operation };
        if (plan is not null)
        {
            conditions.AddRange(plan.Conditions);
            operations.AddRange(plan.Operations);
        }

        return new StoreTxn(conditions, operations);
    }

    private static void ThrowIfRequestedTaken(Service service, ServiceAllocation plan, IReadOnlyList<StoreValue?> current)
    {
        for (var i = 0; i < plan.TakenBits.Count; i++)
        {
            if (plan.TakenBits[i].Requested && current[1 + i] is not null)
            {
                throw ServiceAllocator.Taken(service, plan.TakenBits[i]);
            }
        }
    }

    /// <summary>Clears what the allocator filled in, so the retry picks again.</summary>
    private static void ResetAutoAllocated(Service service, ServiceAllocation plan)
    {
        foreach (var taken in plan.TakenBits)
        {
            if (taken.Requested)
            {
                continue;
            }

            if (taken.Field == "spec.clusterIP")
            {
                service.Spec!.ClusterIP = null;
                service.Spec.ClusterIPs = null;
            }
            else
            {
                foreach (var port in service.Spec!.Ports ?? [])
                {
                    if (port.NodePort?.ToString(CultureInfo.InvariantCulture) == taken.Value)
                    {
                        port.NodePort = null;
                    }
                }
            }
        }
    }
}
