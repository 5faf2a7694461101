namespace KubeProxyFast.Controllers.GarbageCollector;

/// <summary>The garbage collector's settings, with kube-controller-manager's defaults.</summary>
public sealed record GarbageCollectorOptions
{
    /// <summary>
    /// Workers deleting dependents, and as many releasing them for orphaning owners
    /// (<c>--concurrent-gc-syncs</c>, 20).
    /// </summary>
    public int ConcurrentGcSyncs { get; init; } = 20;
}
