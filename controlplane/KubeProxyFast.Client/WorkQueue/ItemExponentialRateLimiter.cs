namespace KubeProxyFast.Client.WorkQueue;

/// <summary>
/// Per-item exponential backoff: the n-th failure of an item waits <c>baseDelay · 2^(n-1)</c>, at
/// most <c>maxDelay</c> (client-go's controller default is 5 ms doubling to 1000 s).
/// </summary>
public sealed class ItemExponentialRateLimiter<TKey> : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    /// <summary>Backoff from <paramref name="baseDelay"/> doubling up to <paramref name="maxDelay"/>.</summary>
    public ItemExponentialRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
    }

    /// <inheritdoc/>
    public TimeSpan NextDelay(TKey key)
    {
        int failures;
        lock (_lock)
        {
            failures = _failures.GetValueOrDefault(key);
            _failures[key] = failures + 1;
        }

        // 2^failures overflows long ticks long before 62 doublings; past the maximum it no longer matters.
        if (failures >= 62)
        {
            return _maxDelay;
        }

        var ticks = _baseDelay.Ticks;
        return ticks > 0 && (_maxDelay.Ticks >> failures) < ticks ? _maxDelay : TimeSpan.FromTicks(ticks << failures);
    }

    /// <inheritdoc/>
    public void Forget(TKey key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    /// <inheritdoc/>
    public int NumRequeues(TKey key)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(key);
        }
    }
}
