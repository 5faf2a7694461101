using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Controllers.Replication;

/// <summary>
/// The order in which a replication controller gives up pods when it scales down, least worth
/// keeping first — Kubernetes' <c>ActivePodsWithRanks</c>: unscheduled before scheduled; Pending
/// before Unknown before Running; not ready before ready; lower
/// <c>controller.kubernetes.io/pod-deletion-cost</c> first; ready more recently first; more
/// container restarts first; created more recently first.
/// <para>
/// Kubernetes also ranks pods by how many pods of related replica sets share their node; a
/// replication controller has no such relatives (the rank is 0 for every pod), so that step is
/// left out. Times are compared exactly, not in Kubernetes' logarithmic buckets
/// (<c>LogarithmicScaleDown</c>), which randomise among pods of similar age: deterministic
/// choices are easier to reason about, and the bucketing only matters for large scale-downs.
/// </para>
/// </summary>
internal sealed class ActivePodOrder : IComparer<Pod>
{
    public static readonly ActivePodOrder Instance = new();

    public int Compare(Pod? x, Pod? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);

        // 1. Unassigned before assigned.
        var xAssigned = !string.IsNullOrEmpty(x.Spec?.NodeName);
        var yAssigned = !string.IsNullOrEmpty(y.Spec?.NodeName);
        if (xAssigned != yAssigned)
        {
            return xAssigned ? 1 : -1;
        }

        // 2. Pending (or no phase yet) < Unknown < Running.
        var phase = PhaseRank(x).CompareTo(PhaseRank(y));
        if (phase != 0)
        {
            return phase;
        }

        // 3. Not ready before ready.
        var xReady = PodStates.ReadyCondition(x);
        var yReady = PodStates.ReadyCondition(y);
        if ((xReady is null) != (yReady is null))
        {
            return xReady is null ? -1 : 1;
        }

        // 4. Lower deletion cost first.
        var cost = PodStates.DeletionCost(x).CompareTo(PodStates.DeletionCost(y));
        if (cost != 0)
        {
            return cost;
        }

        // 5. Both ready: the one ready for the shorter time first (no time counts as the shortest).
        if (xReady is not null && yReady is not null && xReady.LastTransitionTime != yReady.LastTransitionTime)
        {
            return NewerFirst(xReady.LastTransitionTime, yReady.LastTransitionTime);
        }

        // 6. More restarts first.
        var restarts = PodStates.MaxRestarts(x).CompareTo(PodStates.MaxRestarts(y));
        if (restarts != 0)
        {
            return -restarts;
        }

        // 7. Created more recently first (no time counts as the newest).
        return NewerFirst(x.Metadata.CreationTimestamp, y.Metadata.CreationTimestamp);
    }

    private static int PhaseRank(Pod pod) => pod.Status?.Phase switch
    {
        PodPhases.Running => 2,
        PodPhases.Unknown => 1,
        _ => 0,
    };

    /// <summary>Kubernetes' <c>afterOrZero</c>: the later time sorts first, and a missing time before any.</summary>
    private static int NewerFirst(DateTimeOffset? x, DateTimeOffset? y)
    {
        if (x == y)
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        return y.Value.CompareTo(x.Value);
    }
}
