using KubeProxyFast.Controllers.Endpoints;
using KubeProxyFast.Controllers.Replication;

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
    /// <summary>The replication manager's options (<c>--concurrent-rc-syncs</c>).</summary>
    public ReplicationOptions ReplicationController { get; init; } = new();

    /// <summary>The endpoints controller's options (<c>--concurrent-endpoint-syncs</c>, <c>--endpoint-updates-batch-period</c>).</summary>
    public EndpointsOptions Endpoint { get; init; } = new();

    /// <summary>The node IPAM controller's options (<c>--cluster-cidr</c>, <c>--node-cidr-mask-size</c>).</summary>
    public NodeIpam.NodeIpamOptions NodeIpam { get; init; } = new();

    /// <summary>The node lifecycle controller's options (<c>--node-monitor-grace-period</c>, <c>--pod-eviction-timeout</c>, …).</summary>
    public NodeLifecycle.NodeLifecycleOptions NodeLifecycle { get; init; } = new();

    /// <summary>The garbage collector's options (<c>--concurrent-gc-syncs</c>).</summary>
    public GarbageCollector.GarbageCollectorOptions GarbageCollector { get; init; } = new();

    /// <summary>The csrapproving controller's options.</summary>
    public Certificates.CsrApprovingOptions CsrApproving { get; init; } = new();

    /// <summary>The csrsigning controller's options (<c>--cluster-signing-*</c>); signs nothing until a CA is given.</summary>
    public Certificates.CsrSigningOptions CsrSigning { get; init; } = new();

    /// <summary>The csrcleaner controller's options.</summary>
    public Certificates.CsrCleanerOptions CsrCleaner { get; init; } = new();
}
