using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Kubelet.Nodes;

/// <summary>
/// The conditions the kubelet posts, with Kubernetes' reasons and messages: <c>MemoryPressure</c>,
/// <c>DiskPressure</c>, <c>PIDPressure</c> (False: no eviction manager measures pressure yet) and
/// <c>Ready</c> (<c>KubeletReady</c> / <c>KubeletNotReady</c> with why). A condition whose status
/// is unchanged keeps its transition time; every posted condition gets the heartbeat time.
/// </summary>
public static class NodeConditions
{
    /// <summary><c>Ready</c>.</summary>
    public const string Ready = "Ready";

    /// <summary>The Ready condition's reason when ready.</summary>
    public const string KubeletReady = "KubeletReady";

    /// <summary>The Ready condition's reason when not ready.</summary>
    public const string KubeletNotReady = "KubeletNotReady";

    /// <summary>The Ready condition's message when ready.</summary>
    public const string ReadyMessage = "kubelet is posting ready status";

    private static readonly (string Type, string Reason, string Message)[] NoPressure =
    [
        ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    ];

    /// <summary>
    /// The four conditions at <paramref name="now"/> given the node's current ones
    /// (<paramref name="current"/>, for transition times) and why it is not ready
    /// (<paramref name="notReadyReason"/>; null when ready).
    /// </summary>
    public static List<NodeCondition> Build(IReadOnlyList<NodeCondition>? current, string? notReadyReason, DateTimeOffset now)
    {
        var conditions = new List<NodeCondition>(NoPressure.Length + 1);
        foreach (var (type, reason, message) in NoPressure)
        {
            conditions.Add(Condition(current, type, ConditionStatuses.False, reason, message, now));
        }

        conditions.Add(notReadyReason is null
            ? Condition(current, Ready, ConditionStatuses.True, KubeletReady, ReadyMessage, now)
            : Condition(current, Ready, ConditionStatuses.False, KubeletNotReady, notReadyReason, now));
        return conditions;
    }

    private static NodeCondition Condition(IReadOnlyList<NodeCondition>? current, string type, string status, string reason, string message, DateTimeOffset now)
    {
        NodeCondition? old = null;
        if (current is not null)
        {
            foreach (var c in current)
            {
                if (c.Type == type)
                {
                    old = c;
                    break;
                }
            }
        }

        return new NodeCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastHeartbeatTime = now,
            LastTransitionTime = old is not null && old.Status == status && old.LastTransitionTime is { } since ? since : now,
        };
    }
}
