namespace KubeProxyFast.Client.WorkQueue;

/// <summary>Several limiters at once: an item waits the longest of their delays (client-go's <c>MaxOfRateLimiter</c>).</summary>
public sealed class MaxOfRateLimiter<TKey> : IRateLimiter<TKey>
{
    private readonly IRateLimiter<TKey>[] _limiters;

    /// <summary>Combines <paramref name="limiters"/> (at least one).</summary>
    public MaxOfRateLimiter(params IRateLimiter<TKey>[] limiters)
    {
        ArgumentNullException.ThrowIfNull(limiters);
        ArgumentOutOfRangeException.ThrowIfZero(limiters.Length);
        _limiters = [.. limiters];
    }

    /// <inheritdoc/>
    public TimeSpan NextDelay(TKey key)
    {
        var longest = TimeSpan.Zero;
        // Every limiter records the failure (and the bucket takes its token), not only up to the longest.
        foreach (var limiter in _limiters)
        {
            var delay = limiter.NextDelay(key);
            if (delay > longest)
            {
                longest = delay;
            }
        }

        return longest;
    }

    /// <inheritdoc/>
    public void Forget(TKey key)
    {
        foreach (var limiter in _limiters)
        {
            limiter.Forget(key);
        }
    }

    /// <inheritdoc/>
    public int NumRequeues(TKey key)
    {
        var most = 0;
        foreach (var limiter in _limiters)
        {
            most = Math.Max(most, limiter.NumRequeues(key));
        }

        return most;
    }
}
