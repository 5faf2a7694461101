namespace KubeProxyFast.Api.Meta;

/// <summary>
/// The finalizers the apiserver adds on a delete for the garbage collector, as metav1 names them
/// (<c>FinalizerOrphanDependents</c>, <c>FinalizerDeleteDependents</c>).
/// </summary>
public static class GarbageCollectionFinalizers
{
    /// <summary>The owner waits until its dependents no longer reference it (<c>propagationPolicy: Orphan</c>).</summary>
    public const string Orphan = "orphan";

    /// <summary>The owner waits until its blocking dependents are gone (<c>propagationPolicy: Foreground</c>).</summary>
    public const string DeleteDependents = "foregroundDeletion";
}
