namespace KubeProxyFast.Scheduler.Algorithm;

/// <summary>Why a filter rejected a node; several resource reasons can hold at once, as Kubernetes reports them.</summary>
[Flags]
internal enum FilterFailure : ushort
{
    /// <summary>The node passed every filter.</summary>
    None = 0,
    /// <summary>Its Ready condition is not True.</summary>
    NotReady = 1 << 0,
    /// <summary><c>spec.unschedulable</c>, not tolerated (NodeUnschedulable).</summary>
    Unschedulable = 1 << 1,
    /// <summary>Not the node the pod names (NodeName).</summary>
    NodeName = 1 << 2,
    /// <summary>A NoSchedule or NoExecute taint the pod does not tolerate (TaintToleration).</summary>
    UntoleratedTaint = 1 << 3,
    /// <summary>nodeSelector or required node affinity not met (NodeAffinity).</summary>
    NodeAffinity = 1 << 4,
    /// <summary>A host port the pod wants is taken (NodePorts).</summary>
    HostPorts = 1 << 5,
    /// <summary>No room for one more pod (NodeResourcesFit).</summary>
    TooManyPods = 1 << 6,
    /// <summary>Not enough CPU left (NodeResourcesFit).</summary>
    InsufficientCpu = 1 << 7,
    /// <summary>Not enough memory left (NodeResourcesFit).</summary>
    InsufficientMemory = 1 << 8,
    /// <summary>Not enough ephemeral storage left (NodeResourcesFit).</summary>
    InsufficientEphemeralStorage = 1 << 9,
}
