namespace KubeProxyFast.Controllers;

/// <summary>
/// The controller manager's options: which controllers run (<c>--controllers</c>) and each
/// controller's own options record, one property per controller, defaults as Kubernetes'.
/// </summary>
public sealed record ControllerManagerOptions
{
    /// <summary>
    /// kube-controller-manager's <c>--controllers</c>: <c>*</c> enables every controller on by
    /// default, <c>foo</c> enables foo, <c>-foo</c> disables foo; the first entry naming a controller wins.
    /// </summary>
    public IReadOnlyList<string> Controllers { get; init; } = ["*"];

    /// <summary>How long the controllers' informer caches may take to fill before the manager gives up (and the role fails).</summary>
    public TimeSpan CacheSyncTimeout { get; init; } = TimeSpan.FromMinutes(2);

    // One property per controller (its options record, `= new()`), beside its line in KnownControllers:
    // replicationcontroller (g15-rc): public ReplicationManagerOptions ReplicationController { get; init; } = new();

    // endpoint (g15-endpoints): public EndpointControllerOptions Endpoint { get; init; } = new();

    // nodeipam (g15-nodes): public NodeIpamControllerOptions NodeIpam { get; init; } = new();

    // nodelifecycle (g15-nodes): public NodeLifecycleControllerOptions NodeLifecycle { get; init; } = new();

    // garbagecollector (g15-gc): public GarbageCollectorOptions GarbageCollector { get; init; } = new();
}
