namespace KubeProxyFast.Client;

/// <summary>
/// A token bucket of <c>burst</c> tokens refilled at one per <c>interval</c>, kept as the
/// theoretical arrival time of the generic cell rate algorithm: integer ticks, so a token is due
/// exactly one interval later (no floating-point drift at the boundary a fake clock lands on).
/// Times are offsets on one monotonic clock of the caller's. Not thread-safe: its owner locks.
/// </summary>
internal sealed class TokenBucket
{
    private readonly TimeSpan _interval;
    // How far the theoretical arrival time may run ahead of now: the burst beyond the first token.
    private readonly TimeSpan _tolerance;
    private TimeSpan _arrival;

    /// <summary>A full bucket at <paramref name="now"/>; an interval of zero never limits.</summary>
    public TokenBucket(TimeSpan interval, int burst, TimeSpan now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _interval = interval;
        _tolerance = interval * (burst - 1);
        _arrival = now;
    }

    /// <summary>The bucket of a rate in events per second (e.g. client-go's 10 qps, burst 100).</summary>
    public static TokenBucket PerSecond(double rate, int burst, TimeSpan now)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        return new TokenBucket(TimeSpan.FromTicks((long)Math.Round(TimeSpan.TicksPerSecond / rate)), burst, now);
    }

    /// <summary>How long from <paramref name="now"/> until a token is there (zero when one is).</summary>
    public TimeSpan AvailableIn(TimeSpan now)
    {
        var at = _arrival - _tolerance;
        return at > now ? at - now : TimeSpan.Zero;
    }

    /// <summary>Takes a token if one is there.</summary>
    public bool TryTake(TimeSpan now)
    {
        if (AvailableIn(now) > TimeSpan.Zero)
        {
            return false;
        }

        Take(now);
        return true;
    }

    /// <summary>Takes a token now or in the future (going into debt); returns how long to wait for it.</summary>
    public TimeSpan Reserve(TimeSpan now)
    {
        var wait = AvailableIn(now);
        Take(now);
        return wait;
    }

    private void Take(TimeSpan now) => _arrival = (_arrival > now ? _arrival : now) + _interval;
}
