namespace KubeProxyFast.ApiServer.Registry;

/// <summary>What a delete without a propagation policy does to a kind's dependents (Kubernetes' rest.GarbageCollectionPolicy).</summary>
internal enum GarbageCollectionPolicy
{
    /// <summary>The garbage collector deletes the dependents once the owner is gone (Background).</summary>
    DeleteDependents,

    /// <summary>The owner gets the <c>orphan</c> finalizer: its dependents are released before it goes.</summary>
    OrphanDependents,

    /// <summary>The kind takes no propagation: no garbage-collection finalizer is ever added (events).</summary>
    Unsupported,
}
