namespace KubeProxyFast.Client.WorkQueue;

public sealed partial class RateLimitingQueue<TKey>
{
    /// <summary>Queues <paramref name="key"/> after the delay its limiter gives (one more failure of it).</summary>
    public void AddRateLimited(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        AddAfter(key, _limiter.NextDelay(key));
    }

    /// <summary>Forgets <paramref name="key"/>'s failures (call after it was processed successfully); it stays queued if it is.</summary>
    public void Forget(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _limiter.Forget(key);
    }

    /// <summary>How many times <paramref name="key"/> was rate-limited since it was last forgotten.</summary>
    public int NumRequeues(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _limiter.NumRequeues(key);
    }
}
