namespace KubeProxyFast.Client.WorkQueue;

/// <summary>Ready-made limiters.</summary>
public static class RateLimiters
{
    /// <summary>
    /// client-go's <c>DefaultControllerRateLimiter</c>: per item 5 ms doubling to 1000 s, and all
    /// items together at most 10 retries per second beyond a burst of 100; an item waits the longer.
    /// </summary>
    public static IRateLimiter<TKey> DefaultController<TKey>(TimeProvider? time = null)
        where TKey : notnull =>
        new MaxOfRateLimiter<TKey>(
            new ItemExponentialRateLimiter<TKey>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
            new BucketRateLimiter<TKey>(10, 100, time));
}
