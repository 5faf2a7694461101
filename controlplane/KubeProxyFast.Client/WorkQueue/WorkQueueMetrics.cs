using KubeProxyFast.Client.Metrics;

namespace KubeProxyFast.Client.WorkQueue;

/// <summary>
/// client-go's work queue metrics for one queue, labelled <c>name</c>: <c>workqueue_depth</c>,
/// <c>workqueue_adds_total</c>, <c>workqueue_queue_duration_seconds</c>,
/// <c>workqueue_work_duration_seconds</c>, <c>workqueue_retries_total</c>,
/// <c>workqueue_unfinished_work_seconds</c> and <c>workqueue_longest_running_processor_seconds</c>
/// (those two computed when the registry is scraped). Give it to a
/// <see cref="RateLimitingQueue{TKey}"/>; a queue without one records nothing.
/// </summary>
public sealed class WorkQueueMetrics
{
    // client-go's buckets for both durations: 10 ns to 10 s, ×10 each.
    private static readonly double[] DurationBuckets = Buckets.Exponential(10e-9, 10, 10);

    /// <summary>The series of the queue named <paramref name="name"/> in <paramref name="registry"/> (families registered on first use).</summary>
    public WorkQueueMetrics(MetricsRegistry registry, string name)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Registry = registry;
        Name = name;
        string[] label = ["name"];
        Depth = registry.Gauge("workqueue_depth", "Current depth of workqueue", label).WithLabels(name);
        Adds = registry.Counter("workqueue_adds_total", "Total number of adds handled by workqueue", label).WithLabels(name);
        QueueDuration = registry.Histogram("workqueue_queue_duration_seconds", "How long in seconds an item stays in workqueue before being requested.", DurationBuckets, label).WithLabels(name);
        WorkDuration = registry.Histogram("workqueue_work_duration_seconds", "How long in seconds processing an item from workqueue takes.", DurationBuckets, label).WithLabels(name);
        Retries = registry.Counter("workqueue_retries_total", "Total number of retries handled by workqueue", label).WithLabels(name);
        UnfinishedWork = registry.Gauge(
            "workqueue_unfinished_work_seconds",
            "How many seconds of work has done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.",
            label).WithLabels(name);
        LongestRunningProcessor = registry.Gauge(
            "workqueue_longest_running_processor_seconds",
            "How many seconds has the longest running processor for workqueue been running.",
            label).WithLabels(name);
    }

    /// <summary>The queue's name, the <c>name</c> label.</summary>
    public string Name { get; }

    internal MetricsRegistry Registry { get; }

    internal Gauge Depth { get; }

    internal Counter Adds { get; }

    internal Histogram QueueDuration { get; }

    internal Histogram WorkDuration { get; }

    internal Counter Retries { get; }

    internal Gauge UnfinishedWork { get; }

    internal Gauge LongestRunningProcessor { get; }
}
