namespace KubeProxyFast.Client.WorkQueue;

public sealed partial class RateLimitingQueue<TKey>
{
    // Null when the queue has no metrics: each hook is then one null check.
    private readonly WorkQueueMetrics? _metrics;
    // As client-go: when each dirty key was first added, and when each held key was taken (timestamps of _time).
    private readonly Dictionary<TKey, long>? _addedAt;
    private readonly Dictionary<TKey, long>? _takenAt;
    private readonly IDisposable? _collector;

    /// <summary>A key became dirty (counted once until it is taken): client-go's <c>metrics.add</c>.</summary>
    private void AddedLocked(TKey key)
    {
        if (_metrics is null)
        {
            return;
        }

        _metrics.Adds.Inc();
        _metrics.Depth.Inc();
        _addedAt!.TryAdd(key, _time.GetTimestamp());
    }

    /// <summary>A worker took the key.</summary>
    private void TakenLocked(TKey key)
    {
        if (_metrics is null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        _metrics.Depth.Dec();
        _takenAt![key] = now;
        if (_addedAt!.Remove(key, out var added))
        {
            _metrics.QueueDuration.Observe(_time.GetElapsedTime(added, now).TotalSeconds);
        }
    }

    /// <summary>The worker is done with the key.</summary>
    private void DoneLocked(TKey key)
    {
        if (_metrics is not null && _takenAt!.Remove(key, out var taken))
        {
            _metrics.WorkDuration.Observe(_time.GetElapsedTime(taken).TotalSeconds);
        }
    }

    /// <summary>Sets the unfinished-work gauges from the keys held now; runs when the registry is scraped.</summary>
    private void CollectUnfinishedWork()
    {
        double total = 0;
        double longest = 0;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            foreach (var taken in _takenAt!.Values)
            {
                var seconds = _time.GetElapsedTime(taken, now).TotalSeconds;
                total += seconds;
                longest = Math.Max(longest, seconds);
            }
        }

        _metrics!.UnfinishedWork.Set(total);
        _metrics.LongestRunningProcessor.Set(longest);
    }
}
