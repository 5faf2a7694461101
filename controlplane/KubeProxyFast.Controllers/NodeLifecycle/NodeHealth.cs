using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Controllers.NodeLifecycle;

/// <summary>
/// What the controller last saw of a node, as Kubernetes' <c>nodeHealthData</c>: the times are
/// this controller's clock when it saw a heartbeat or a Lease renewal, never the node's, so a node
/// with a skewed clock is judged by when its heartbeats arrive.
/// </summary>
internal sealed class NodeHealth
{
    /// <summary>The node's Ready condition as last seen (its heartbeat time tells a new heartbeat from an old one).</summary>
    public NodeCondition? ReadyCondition { get; set; }

    /// <summary>When a heartbeat or a Lease renewal was last seen.</summary>
    public DateTimeOffset ProbeTimestamp { get; set; }

    /// <summary>When the Ready condition was last seen to change.</summary>
    public DateTimeOffset ReadyTransitionTimestamp { get; set; }

    /// <summary>The renew time of the node's Lease as last seen.</summary>
    public DateTimeOffset? LeaseRenewTime { get; set; }
}

/// <summary>A zone's health, as Kubernetes' <c>ZoneState</c>.</summary>
internal enum ZoneState
{
    /// <summary>Not yet judged.</summary>
    Initial,

    /// <summary>Few nodes not ready: evict at the normal rate.</summary>
    Normal,

    /// <summary>Every node not ready: likely the controller's own network; evict at the normal rate unless every zone is so (then not at all).</summary>
    FullDisruption,

    /// <summary>At least the unhealthy threshold of nodes (and at least 3) not ready: evict slowly, or not at all in a small cluster.</summary>
    PartialDisruption,
}

/// <summary>Where a node is in its pods' eviction, as Kubernetes' <c>nodeEvictionMap</c>.</summary>
internal enum EvictionStatus
{
    /// <summary>Not queued.</summary>
    Unmarked,

    /// <summary>Waiting in its zone's queue.</summary>
    ToBeEvicted,

    /// <summary>Its pods were deleted: pods found on it later are deleted at once.</summary>
    Evicted,
}
