using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Controllers.Replication;

/// <summary>
/// The status a replication controller reports for the pods it owns (Kubernetes'
/// <c>calculateStatus</c> in <c>replica_set_utils.go</c>).
/// </summary>
internal static class ReplicationStatus
{
    /// <summary>The condition type set while creates or deletes fail.</summary>
    public const string ReplicaFailure = "ReplicaFailure";

    /// <summary>
    /// replicas (active pods owned), fullyLabeledReplicas (those carrying all the template's
    /// labels), readyReplicas, availableReplicas (ready for minReadySeconds at
    /// <paramref name="now"/>), observedGeneration, and the ReplicaFailure condition: set (reason
    /// FailedCreate or FailedDelete, the error's message) when <paramref name="manageError"/> is
    /// not null and it is not already there, removed once a sync manages without error.
    /// </summary>
    public static ReplicationControllerStatus Calculate(
        ReplicationController rc, IReadOnlyList<Pod> pods, Exception? manageError, DateTimeOffset now)
    {
        var templateLabels = rc.Spec?.Template?.Metadata?.Labels;
        var minReadySeconds = rc.Spec?.MinReadySeconds ?? 0;
        int fullyLabeled = 0, ready = 0, available = 0;
        foreach (var pod in pods)
        {
            if (PodStates.IsSubset(templateLabels, pod.Metadata.Labels))
            {
                fullyLabeled++;
            }

            if (PodStates.IsReady(pod))
            {
                ready++;
                if (PodStates.IsAvailable(pod, minReadySeconds, now))
                {
                    available++;
                }
            }
        }

        var old = rc.Status;
        var conditions = old?.Conditions is { } existing ? new List<ReplicationControllerCondition>(existing) : null;
        var failure = conditions?.Find(c => c.Type == ReplicaFailure);
        if (manageError is not null && failure is null)
        {
            var diff = pods.Count - (rc.Spec?.Replicas ?? 1);
            conditions ??= [];
            conditions.Add(new ReplicationControllerCondition
            {
                Type = ReplicaFailure,
                Status = "True",
                Reason = diff < 0 ? PodControl.FailedCreate : diff > 0 ? PodControl.FailedDelete : null,
                Message = PodControl.MessageOf(manageError),
                LastTransitionTime = Seconds(now),
            });
        }
        else if (manageError is null && failure is not null)
        {
            conditions!.Remove(failure);
        }

        return new ReplicationControllerStatus
        {
            Replicas = pods.Count,
            FullyLabeledReplicas = fullyLabeled,
            ReadyReplicas = ready,
            AvailableReplicas = available,
            ObservedGeneration = rc.Metadata.Generation,
            Conditions = conditions is { Count: > 0 } ? conditions : null,
            UnknownFields = old?.UnknownFields,
        };
    }

    /// <summary>
    /// True when <paramref name="status"/> says what <paramref name="rc"/>'s status already says:
    /// then nothing is written (Kubernetes compares the counts, the generation and the conditions).
    /// </summary>
    public static bool Unchanged(ReplicationController rc, ReplicationControllerStatus status) =>
        rc.Status is { } old
        && KubeJson.SerializeToUtf8Bytes(Normalized(old)).AsSpan().SequenceEqual(KubeJson.SerializeToUtf8Bytes(Normalized(status)));

    /// <summary>Zero counts and an absent count read the same (the apiserver leaves zeros out).</summary>
    private static ReplicationControllerStatus Normalized(ReplicationControllerStatus status) => new()
    {
        Replicas = status.Replicas,
        FullyLabeledReplicas = status.FullyLabeledReplicas ?? 0,
        ReadyReplicas = status.ReadyReplicas ?? 0,
        AvailableReplicas = status.AvailableReplicas ?? 0,
        ObservedGeneration = status.ObservedGeneration,
        Conditions = status.Conditions is { Count: > 0 } ? status.Conditions : null,
    };

    private static DateTimeOffset Seconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
