using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Core;

/// <summary>v1 ReplicationController: keeps <c>replicas</c> pods matching its selector running.</summary>
public sealed class ReplicationController : KubeObject
{
    /// <summary>Desired state.</summary>
    public ReplicationControllerSpec? Spec { get; set; }

    /// <summary>Observed state, written by the replication manager.</summary>
    public ReplicationControllerStatus? Status { get; set; }
}

/// <summary>v1 ReplicationControllerList.</summary>
public sealed class ReplicationControllerList : KubeList<ReplicationController>;

/// <summary>v1 ReplicationControllerSpec.</summary>
public sealed class ReplicationControllerSpec : Extensible
{
    /// <summary>Desired number of pods; default 1.</summary>
    public int? Replicas { get; set; }

    /// <summary>Seconds a new pod must be ready before it counts as available.</summary>
    public int? MinReadySeconds { get; set; }

    /// <summary>Equality selector of the pods it owns; defaults to the template's labels.</summary>
    public Dictionary<string, string>? Selector { get; set; }

    /// <summary>The pod to create.</summary>
    public PodTemplateSpec? Template { get; set; }
}

/// <summary>v1 ReplicationControllerStatus.</summary>
public sealed class ReplicationControllerStatus : Extensible
{
    /// <summary>Pods currently matched.</summary>
    public int Replicas { get; set; }

    /// <summary>Pods whose labels match the template's labels.</summary>
    public int? FullyLabeledReplicas { get; set; }

    /// <summary>Pods that are ready.</summary>
    public int? ReadyReplicas { get; set; }

    /// <summary>Pods ready for at least minReadySeconds.</summary>
    public int? AvailableReplicas { get; set; }

    /// <summary>The generation the status reflects.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>Conditions such as <c>ReplicaFailure</c>.</summary>
    public List<ReplicationControllerCondition>? Conditions { get; set; }
}

/// <summary>v1 ReplicationControllerCondition.</summary>
public sealed class ReplicationControllerCondition : Extensible
{
    /// <summary>Condition type, e.g. <c>ReplicaFailure</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    public string Status { get; set; } = "";

    /// <summary>Last time the condition changed status.</summary>
    public DateTimeOffset? LastTransitionTime { get; set; }

    /// <summary>Machine-readable reason.</summary>
    public string? Reason { get; set; }

    /// <summary>Human-readable detail.</summary>
    public string? Message { get; set; }
}
