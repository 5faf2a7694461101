using KubeProxyFast.Client.Metrics;
using KubeProxyFast.Scheduler.Queue;

namespace KubeProxyFast.Scheduler;

/// <summary>kube-scheduler's metrics that this scheduler has, with its names, labels and buckets.</summary>
internal sealed class SchedulerMetrics : IDisposable
{
    /// <summary>Values of the <c>result</c> label.</summary>
    public const string Scheduled = "scheduled", Unschedulable = "unschedulable", Error = "error";

    private readonly Counter[] _attempts;
    private readonly Histogram[] _durations;
    private readonly IDisposable _collect;
    private readonly Gauge[] _pending;

    /// <summary>Registers the families in <paramref name="registry"/> for <paramref name="profile"/>; the pending gauge reads <paramref name="queue"/> at scrape time.</summary>
    public SchedulerMetrics(MetricsRegistry registry, string profile, SchedulingQueue queue)
    {
        var attempts = registry.Counter("scheduler_schedule_attempts_total",
            "Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled, while 'error' means an internal scheduler problem.",
            ["result", "profile"]);
        var durations = registry.Histogram("scheduler_scheduling_attempt_duration_seconds",
            "Scheduling attempt latency in seconds (scheduling algorithm + binding)", Buckets.Exponential(0.001, 2, 15), ["result", "profile"]);
        var pending = registry.Gauge("scheduler_pending_pods",
            "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.",
            ["queue"]);
        string[] results = [Scheduled, Unschedulable, Error];
        _attempts = [.. results.Select(r => attempts.WithLabels(r, profile))];
        _durations = [.. results.Select(r => durations.WithLabels(r, profile))];
        var active = pending.WithLabels("active");
        var backoff = pending.WithLabels("backoff");
        var unschedulable = pending.WithLabels("unschedulable");
        pending.WithLabels("gated").Set(0);
        _pending = [active, backoff, unschedulable];
        _collect = registry.OnCollect(() =>
        {
            var counts = queue.Counts();
            active.Set(counts.Active);
            backoff.Set(counts.Backoff);
            unschedulable.Set(counts.Unschedulable);
        });
    }

    /// <summary>Attempts with <paramref name="result"/> so far.</summary>
    public double Attempts(string result) => _attempts[Index(result)].Value;

    /// <summary>Counts one attempt that ended with <paramref name="result"/> after <paramref name="seconds"/>.</summary>
    public void Observe(string result, double seconds)
    {
        var index = Index(result);
        _attempts[index].Inc();
        _durations[index].Observe(seconds);
    }

    /// <summary>Stops feeding the pending gauge and zeroes it: a stopped scheduler has no pending pods.</summary>
    public void Dispose()
    {
        _collect.Dispose();
        foreach (var gauge in _pending)
        {
            gauge.Set(0);
        }
    }

    private static int Index(string result) => result switch
    {
        Scheduled => 0,
        Unschedulable => 1,
        _ => 2,
    };
}
