namespace KubeProxyFast.Api.Core;

/// <summary>v1 PodStatus.</summary>
public sealed class PodStatus : Meta.Extensible
{
    /// <summary>One of <see cref="PodPhases"/>.</summary>
    public string? Phase { get; set; }

    /// <summary>Conditions such as <c>PodScheduled</c> and <c>Ready</c>.</summary>
    public List<PodCondition>? Conditions { get; set; }

    /// <summary>Why the pod is in its state.</summary>
    public string? Message { get; set; }

    /// <summary>Machine-readable reason, e.g. <c>Evicted</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>IP of the node the pod runs on.</summary>
    public string? HostIP { get; set; }

    /// <summary>IP of the pod.</summary>
    public string? PodIP { get; set; }

    /// <summary>All IPs of the pod (first equals <see cref="PodIP"/>).</summary>
    public List<PodIP>? PodIPs { get; set; }

    /// <summary>When the kubelet accepted the pod.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>One entry per container.</summary>
    public List<ContainerStatus>? ContainerStatuses { get; set; }

    /// <summary><c>Guaranteed</c>, <c>Burstable</c> or <c>BestEffort</c>.</summary>
    public string? QosClass { get; set; }
}

/// <summary>v1 PodIP.</summary>
public sealed class PodIP : Meta.Extensible
{
    /// <summary>The address.</summary>
    public string? Ip { get; set; }
}

/// <summary>v1 PodCondition.</summary>
public sealed class PodCondition : Meta.Extensible
{
    /// <summary>One of <see cref="PodConditionTypes"/>.</summary>
    public string Type { get; set; } = "";

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    public string Status { get; set; } = "";

    /// <summary>Last time the condition was probed.</summary>
    public DateTimeOffset? LastProbeTime { get; set; }

    /// <summary>Last time the condition changed status.</summary>
    public DateTimeOffset? LastTransitionTime { get; set; }

    /// <summary>Machine-readable reason for the last transition.</summary>
    public string? Reason { get; set; }

    /// <summary>Human-readable detail of the last transition.</summary>
    public string? Message { get; set; }
}

/// <summary>v1 ContainerStatus.</summary>
public sealed class ContainerStatus : Meta.Extensible
{
    /// <summary>The container's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Current state.</summary>
    public ContainerState? State { get; set; }

    /// <summary>State of the previous run.</summary>
    public ContainerState? LastState { get; set; }

    /// <summary>Whether the readiness probe passes.</summary>
    public bool Ready { get; set; }

    /// <summary>Number of restarts.</summary>
    public int RestartCount { get; set; }

    /// <summary>The image it runs.</summary>
    public string Image { get; set; } = "";

    /// <summary>Resolved image ID.</summary>
    public string ImageID { get; set; } = "";

    /// <summary>Runtime's ID, <c>&lt;type&gt;://&lt;id&gt;</c>.</summary>
    public string? ContainerID { get; set; }

    /// <summary>Whether the container has started (and passed any startup probe).</summary>
    public bool? Started { get; set; }
}

/// <summary>v1 ContainerState: exactly one member is set.</summary>
public sealed class ContainerState : Meta.Extensible
{
    /// <summary>Not yet running.</summary>
    public ContainerStateWaiting? Waiting { get; set; }

    /// <summary>Running.</summary>
    public ContainerStateRunning? Running { get; set; }

    /// <summary>Exited.</summary>
    public ContainerStateTerminated? Terminated { get; set; }
}

/// <summary>v1 ContainerStateWaiting.</summary>
public sealed class ContainerStateWaiting : Meta.Extensible
{
    /// <summary>Why it is waiting, e.g. <c>ContainerCreating</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>Detail.</summary>
    public string? Message { get; set; }
}

/// <summary>v1 ContainerStateRunning.</summary>
public sealed class ContainerStateRunning : Meta.Extensible
{
    /// <summary>When the container (re)started.</summary>
    public DateTimeOffset? StartedAt { get; set; }
}

/// <summary>v1 ContainerStateTerminated.</summary>
public sealed class ContainerStateTerminated : Meta.Extensible
{
    /// <summary>Exit status.</summary>
    public int ExitCode { get; set; }

    /// <summary>Signal that ended it, if any.</summary>
    public int? Signal { get; set; }

    /// <summary>Why it ended, e.g. <c>Completed</c>, <c>Error</c>, <c>OOMKilled</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>Detail.</summary>
    public string? Message { get; set; }

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Runtime's ID of the ended container.</summary>
    public string? ContainerID { get; set; }
}

/// <summary>Values of <see cref="PodStatus.Phase"/>.</summary>
public static class PodPhases
{
    /// <summary>Accepted, not all containers running yet.</summary>
    public const string Pending = "Pending";
    /// <summary>Bound and at least one container running.</summary>
    public const string Running = "Running";
    /// <summary>All containers exited 0 and will not restart.</summary>
    public const string Succeeded = "Succeeded";
    /// <summary>All containers exited, at least one in failure.</summary>
    public const string Failed = "Failed";
    /// <summary>The state could not be obtained.</summary>
    public const string Unknown = "Unknown";
}

/// <summary>Values of <see cref="PodCondition.Type"/>.</summary>
public static class PodConditionTypes
{
    /// <summary>Bound to a node.</summary>
    public const string PodScheduled = "PodScheduled";
    /// <summary>All init containers finished.</summary>
    public const string Initialized = "Initialized";
    /// <summary>All containers ready.</summary>
    public const string ContainersReady = "ContainersReady";
    /// <summary>Serving: included in service endpoints.</summary>
    public const string Ready = "Ready";
}

/// <summary>Values of the <c>status</c> of conditions.</summary>
public static class ConditionStatuses
{
    /// <summary>The condition holds.</summary>
    public const string True = "True";
    /// <summary>The condition does not hold.</summary>
    public const string False = "False";
    /// <summary>Not known.</summary>
    public const string Unknown = "Unknown";
}
