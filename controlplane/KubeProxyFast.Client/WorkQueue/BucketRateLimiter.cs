namespace KubeProxyFast.Client.WorkQueue;

/// <summary>
/// One token bucket over all items (client-go's <c>BucketRateLimiter</c>): each retry takes a
/// token, waiting for it when the bucket is empty, so retries of every item together stay under
/// <c>rate</c> per second beyond a burst (client-go's controller default: 10 per second, burst 100).
/// It tracks no item: <see cref="NumRequeues"/> is always 0.
/// </summary>
public sealed class BucketRateLimiter<TKey> : IRateLimiter<TKey>
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly TokenBucket _bucket;

    /// <summary>A bucket of <paramref name="burst"/> tokens refilled at <paramref name="rate"/> per second on <paramref name="time"/>.</summary>
    public BucketRateLimiter(double rate, int burst, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _origin = _time.GetTimestamp();
        _bucket = TokenBucket.PerSecond(rate, burst, TimeSpan.Zero);
    }

    /// <inheritdoc/>
    public TimeSpan NextDelay(TKey key)
    {
        lock (_lock)
        {
            return _bucket.Reserve(_time.GetElapsedTime(_origin));
        }
    }

    /// <inheritdoc/>
    public void Forget(TKey key)
    {
    }

    /// <inheritdoc/>
    public int NumRequeues(TKey key) => 0;
}
