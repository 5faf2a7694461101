namespace KubeProxyFast.Testing;

/// <summary>
/// The system clock, counting the callbacks of the timers created through it once they have run:
/// a test waits for "two polls after the write" instead of sleeping for them. A timer created with
/// a period counts as periodic (a poll), one without as one-shot (a debounce).
/// </summary>
public sealed class TimerCountingTimeProvider : TimeProvider
{
    private long _periodic;
    private long _oneShot;

    /// <summary>Callbacks of periodic timers that have returned.</summary>
    public long PeriodicCallbacks => Interlocked.Read(ref _periodic);

    /// <summary>Callbacks of one-shot timers that have returned.</summary>
    public long OneShotCallbacks => Interlocked.Read(ref _oneShot);

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var periodic = period != Timeout.InfiniteTimeSpan;
        return System.CreateTimer(
            s =>
            {
                callback(s);
                Interlocked.Increment(ref periodic ? ref _periodic : ref _oneShot);
            },
            state, dueTime, period);
    }
}
