using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;

namespace KubeProxyFast.Controllers.GarbageCollector;

/// <summary>
/// One kind as the garbage collector reaches it: live reads, deletes and merge patches through the
/// API (client-go's metadata client does this generically; our client is typed, so one of these
/// per kind), and for the kinds it watches, the shared informer feeding its graph.
/// </summary>
internal abstract class GcResource
{
    protected GcResource(KindInfo kind, bool monitored)
    {
        Kind = kind;
        Monitored = monitored;
    }

    /// <summary>The kind.</summary>
    public KindInfo Kind { get; }

    /// <summary>True when its objects may be dependents: the collector watches them.</summary>
    public bool Monitored { get; }

    /// <summary>The object now, or null when there is none of that name.</summary>
    public abstract Task<KubeObject?> GetAsync(string? ns, string name, CancellationToken cancellationToken);

    /// <summary>DELETE with <paramref name="options"/>.</summary>
    public abstract Task DeleteAsync(string? ns, string name, DeleteOptions options, CancellationToken cancellationToken);

    /// <summary>A JSON merge patch.</summary>
    public abstract Task PatchAsync(string? ns, string name, string patch, CancellationToken cancellationToken);

    /// <summary>
    /// The cached objects of this kind that name <paramref name="ownerUid"/> as owner (from the
    /// informer's index; empty for a kind not watched). The informer's cache, unlike the graph fed
    /// by its handlers, is complete once synced, so a decision about an owner's dependents never
    /// misses one the handlers have not been given yet.
    /// </summary>
    public abstract IReadOnlyList<KubeObject> DependentsOf(string ownerUid);

    /// <summary>Registers <paramref name="onAdd"/>, <paramref name="onUpdate"/> and <paramref name="onDelete"/> on the kind's shared informer; dispose the result to remove them.</summary>
    public abstract IAsyncDisposable Watch(SharedInformerFactory informers, Action<GcResource, KubeObject> onAdd,
        Action<GcResource, KubeObject, KubeObject> onUpdate, Action<GcResource, KubeObject> onDelete);

    /// <summary>Completes once the kind's informer has listed (at once for a kind not watched).</summary>
    public abstract Task WaitForCacheSyncAsync(CancellationToken cancellationToken);
}

/// <summary>A <see cref="GcResource"/> of the model type <typeparamref name="T"/>.</summary>
internal sealed class GcResource<T> : GcResource
    where T : KubeObject
{
    /// <summary>The informer index of objects by the uids of their owners.</summary>
    private const string OwnerUidIndex = "garbagecollector.ownerUid";

    private readonly KubeClient _client;
    private SharedInformer<T>? _informer;

    public GcResource(KubeClient client, bool monitored)
        : base(KubeKinds.Find(typeof(T)) ?? throw new ArgumentException($"{typeof(T).Name} is not a known kind"), monitored)
    {
        _client = client;
    }

    public override async Task<KubeObject?> GetAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetAsync<T>(Scope(ns), name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public override Task DeleteAsync(string? ns, string name, DeleteOptions options, CancellationToken cancellationToken) =>
        _client.DeleteAsync<T>(Scope(ns), name, options, cancellationToken);

    public override Task PatchAsync(string? ns, string name, string patch, CancellationToken cancellationToken) =>
        _client.PatchAsync<T>(Scope(ns), name, PatchType.Merge, patch, cancellationToken);

    public override IAsyncDisposable Watch(SharedInformerFactory informers, Action<GcResource, KubeObject> onAdd,
        Action<GcResource, KubeObject, KubeObject> onUpdate, Action<GcResource, KubeObject> onDelete)
    {
        _informer = informers.InformerFor<T>();
        _informer.AddIndexer(OwnerUidIndex, obj => obj.Metadata.OwnerReferences?.Select(o => o.Uid) ?? []);
        return _informer.AddEventHandler(new ResourceHandler<T>
        {
            OnAdd = obj => onAdd(this, obj),
            OnUpdate = (old, now) => onUpdate(this, old, now),
            OnDelete = obj => onDelete(this, obj),
        });
    }

    public override Task WaitForCacheSyncAsync(CancellationToken cancellationToken) =>
        _informer?.WaitForCacheSyncAsync(cancellationToken) ?? Task.CompletedTask;

    public override IReadOnlyList<KubeObject> DependentsOf(string ownerUid) =>
        _informer is null ? [] : _informer.Lister.ByIndex(OwnerUidIndex, ownerUid);

    private string? Scope(string? ns) => Kind.Namespaced ? ns : null;
}
