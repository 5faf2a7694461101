using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler.Queue;

/// <summary>A pod waiting in the scheduling queue (Kubernetes' <c>QueuedPodInfo</c>). Changed only under the queue's lock.</summary>
internal sealed class QueuedPod(PodInfo info, DateTimeOffset added)
{
    /// <summary>The pod, as last seen.</summary>
    public PodInfo Info { get; set; } = info;

    /// <summary>When it was added or last moved (the active queue's tie-breaker; the start of its backoff).</summary>
    public DateTimeOffset Timestamp { get; set; } = added;

    /// <summary>Scheduling attempts so far (the backoff doubles per attempt).</summary>
    public int Attempts { get; set; }

    /// <summary>Where it is.</summary>
    public QueueLocation Location { get; set; }

    /// <summary>Bumped on every insertion into a heap, so stale heap entries are recognised and skipped.</summary>
    public long Version { get; set; }
}

/// <summary>The sub-queues of Kubernetes' priority queue, and "in flight" (popped, being scheduled).</summary>
internal enum QueueLocation
{
    /// <summary>Ready to be scheduled: ordered by priority, then timestamp.</summary>
    Active,
    /// <summary>Waiting for its backoff to end.</summary>
    Backoff,
    /// <summary>Failed; waits for a cluster event (or the flush) to move it.</summary>
    Unschedulable,
    /// <summary>Popped by the scheduling loop.</summary>
    InFlight,
}
