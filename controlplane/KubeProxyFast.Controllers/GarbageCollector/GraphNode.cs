using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Controllers.GarbageCollector;

/// <summary>
/// One object in the dependency graph: what the collector last observed of it (owners, deletion
/// state) and the uids of the objects that name it as owner. A node known only from its
/// dependents' references (not observed, or gone while dependents remain) is virtual.
/// </summary>
internal sealed class GraphNode
{
    public GraphNode(ObjectIdentity identity)
    {
        Identity = identity;
    }

    /// <summary>Kind, namespace, name, uid.</summary>
    public ObjectIdentity Identity { get; set; }

    /// <summary>True once an informer delivered the object (and until it delivered its deletion).</summary>
    public bool Observed { get; set; }

    /// <summary>Its owner references as last observed.</summary>
    public IReadOnlyList<OwnerReference> Owners { get; set; } = [];

    /// <summary>It has a deletionTimestamp.</summary>
    public bool BeingDeleted { get; set; }

    /// <summary>It is being deleted in the foreground: waiting for its blocking dependents.</summary>
    public bool DeletingDependents { get; set; }

    /// <summary>It is being deleted with the <c>orphan</c> finalizer: its dependents are to be released.</summary>
    public bool Orphaning { get; set; }

    /// <summary>Uids of the objects that name this one as owner.</summary>
    public HashSet<string> Dependents { get; } = new(StringComparer.Ordinal);

    /// <summary>Updates the observed state from <paramref name="obj"/>.</summary>
    public void Observe(KubeObject obj)
    {
        var meta = obj.Metadata;
        Observed = true;
        Owners = meta.OwnerReferences is { } owners ? [.. owners] : [];
        BeingDeleted = meta.DeletionTimestamp is not null;
        var finalizers = meta.Finalizers ?? [];
        DeletingDependents = BeingDeleted && finalizers.Contains(GarbageCollectionFinalizers.DeleteDependents);
        Orphaning = BeingDeleted && finalizers.Contains(GarbageCollectionFinalizers.Orphan);
    }
}
