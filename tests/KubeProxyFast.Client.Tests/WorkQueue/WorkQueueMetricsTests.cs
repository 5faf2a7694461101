using KubeProxyFast.Client.Metrics;
using KubeProxyFast.Client.WorkQueue;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests.WorkQueue;

/// <summary><see cref="WorkQueueMetrics"/> on a <see cref="RateLimitingQueue{TKey}"/>: client-go's workqueue_* series on a fake clock.</summary>
public sealed class WorkQueueMetricsTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly MetricsRegistry _registry = new();
    private readonly RateLimitingQueue<string> _queue;

    public WorkQueueMetricsTests() =>
        _queue = new RateLimitingQueue<string>(time: _clock, metrics: new WorkQueueMetrics(_registry, "endpoint"));

    public void Dispose() => _queue.Dispose();

    [Fact]
    public async Task AddGetDone_OneKey_CountsAddDepthAndBothDurations()
    {
        _queue.Add("a");
        _queue.Add("a");
        Assert.Contains("workqueue_adds_total{name=\"endpoint\"} 1\n", _registry.Render(), StringComparison.Ordinal);
        Assert.Contains("workqueue_depth{name=\"endpoint\"} 1\n", _registry.Render(), StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromMilliseconds(20));
        var (key, _) = await _queue.GetAsync();
        _clock.Advance(TimeSpan.FromSeconds(3));
        _queue.Done(key);

        var text = _registry.Render();
        Assert.Contains("workqueue_depth{name=\"endpoint\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_queue_duration_seconds_bucket{name=\"endpoint\",le=\"0.01\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_queue_duration_seconds_bucket{name=\"endpoint\",le=\"0.1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_queue_duration_seconds_sum{name=\"endpoint\"} 0.02\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_work_duration_seconds_bucket{name=\"endpoint\",le=\"1\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_work_duration_seconds_bucket{name=\"endpoint\",le=\"10\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_work_duration_seconds_count{name=\"endpoint\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_WhileTheKeyIsHeld_CountsASecondAddAndDepth()
    {
        _queue.Add("a");
        var (key, _) = await _queue.GetAsync();
        _queue.Add("a");

        var text = _registry.Render();
        Assert.Contains("workqueue_adds_total{name=\"endpoint\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_depth{name=\"endpoint\"} 1\n", text, StringComparison.Ordinal);
        _queue.Done(key);
        await _queue.GetAsync();
        Assert.Contains("workqueue_depth{name=\"endpoint\"} 0\n", _registry.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void AddRateLimitedAndAddAfter_EachCall_CountsARetry()
    {
        _queue.AddRateLimited("a");
        _queue.AddAfter("b", TimeSpan.FromSeconds(1));
        _queue.AddAfter("c", TimeSpan.Zero);

        Assert.Contains("workqueue_retries_total{name=\"endpoint\"} 3\n", _registry.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_WhileKeysAreHeld_ReportsUnfinishedWorkAndLongestProcessor()
    {
        _queue.Add("a");
        _queue.Add("b");
        await _queue.GetAsync();
        _clock.Advance(TimeSpan.FromSeconds(2));
        await _queue.GetAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));

        var text = _registry.Render();

        Assert.Contains("workqueue_unfinished_work_seconds{name=\"endpoint\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_longest_running_processor_seconds{name=\"endpoint\"} 3\n", text, StringComparison.Ordinal);
        _queue.Dispose();
        Assert.Contains("workqueue_unfinished_work_seconds{name=\"endpoint\"} 0\n", _registry.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TwoQueuesInOneRegistry_KeepsOneSeriesPerName()
    {
        using var other = new RateLimitingQueue<string>(time: _clock, metrics: new WorkQueueMetrics(_registry, "replicationmanager"));
        other.Add("x");
        _queue.Add("y");
        _queue.Add("z");

        var text = _registry.Render();

        Assert.Contains("workqueue_adds_total{name=\"endpoint\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_adds_total{name=\"replicationmanager\"} 1\n", text, StringComparison.Ordinal);
    }
}
