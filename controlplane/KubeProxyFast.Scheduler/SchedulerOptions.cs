namespace KubeProxyFast.Scheduler;

/// <summary>The scheduler's settings; defaults are kube-scheduler's.</summary>
public sealed record SchedulerOptions
{
    /// <summary>Pods whose <c>spec.schedulerName</c> is this (or empty) are ours; default <c>default-scheduler</c>.</summary>
    public string SchedulerName { get; init; } = "default-scheduler";

    /// <summary>
    /// Percentage of nodes to find feasible before scoring (<c>percentageOfNodesToScore</c>); 0, the
    /// default, is Kubernetes' adaptive value: 50% less 1% per 125 nodes, at least 5%, and never
    /// fewer than 100 nodes.
    /// </summary>
    public int PercentageOfNodesToScore { get; init; }

    /// <summary>Backoff of a pod after its first failed attempt, doubled per attempt (<c>podInitialBackoffSeconds</c>, 1 s).</summary>
    public TimeSpan PodInitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest backoff (<c>podMaxBackoffSeconds</c>, 10 s).</summary>
    public TimeSpan PodMaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An unschedulable pod no cluster event has moved is retried after this long
    /// (<c>podMaxInUnschedulablePodsDuration</c>, 5 min).
    /// </summary>
    public TimeSpan PodMaxInUnschedulablePodsDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// An assumed pod whose binding succeeded but which has not come back bound through the watch
    /// within this time is forgotten, so its resources are freed again. Null, the default, is never,
    /// as Kubernetes (<c>durationToExpireAssumedPod</c> 0 since kubernetes#106361): the watch
    /// delivers the bound pod or its deletion.
    /// </summary>
    public TimeSpan? AssumedPodTimeToLive { get; init; }

    /// <summary>Bindings in flight at once; the scheduling loop waits for a slot beyond it (backpressure on a slow apiserver).</summary>
    public int MaxConcurrentBindings { get; init; } = 256;

    /// <summary>Validates the values, naming the one that is wrong.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(SchedulerName);
        ArgumentOutOfRangeException.ThrowIfNegative(PercentageOfNodesToScore);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PercentageOfNodesToScore, 100);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PodInitialBackoff, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(PodMaxBackoff, PodInitialBackoff);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PodMaxInUnschedulablePodsDuration, TimeSpan.Zero);
        if (AssumedPodTimeToLive is { } ttl)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero, nameof(AssumedPodTimeToLive));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentBindings, 1);
    }
}
