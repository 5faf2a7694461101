namespace KubeProxyFast.Client.WorkQueue;

/// <summary>
/// How long an item waits before it is retried (client-go's <c>RateLimiter</c>, whose <c>When</c> is <see cref="NextDelay"/>). Implementations
/// are thread-safe: the queue calls them from any worker.
/// </summary>
public interface IRateLimiter<in TKey>
{
    /// <summary>Records one more failure of <paramref name="key"/> and returns how long it waits.</summary>
    TimeSpan NextDelay(TKey key);

    /// <summary>Forgets <paramref name="key"/>'s failures (it succeeded): its next delay starts over.</summary>
    void Forget(TKey key);

    /// <summary>Failures of <paramref name="key"/> recorded since it was last forgotten.</summary>
    int NumRequeues(TKey key);
}
