namespace KubeProxyFast.Testing;

/// <summary>
/// A clock that moves only when a test says so; timestamps are TimeSpan ticks. Timers created
/// through it (and so <c>Task.Delay</c> and <c>PeriodicTimer</c> on it) fire only inside
/// <see cref="Advance"/>, in due order, each with the clock set to its due time, on the thread
/// that advances and outside the clock's lock (a callback may create or change timers).
/// </summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<FakeTimer> _timers = [];
    // Start far from zero so that "now - lastUsed" arithmetic is exercised with real-looking values.
    private static readonly long InitialTimestamp = TimeSpan.FromDays(1).Ticks;
    private readonly DateTimeOffset? _utcStart;
    private long _timestamp = InitialTimestamp;

    /// <param name="utcStart">
    /// When given, the wall clock (<see cref="GetUtcNow"/>) starts there and moves with
    /// <see cref="Advance"/> too; otherwise it is the machine's (only timestamps are fake).
    /// </param>
    public FakeTimeProvider(DateTimeOffset? utcStart = null) => _utcStart = utcStart;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() =>
        _utcStart is { } start ? start + TimeSpan.FromTicks(GetTimestamp() - InitialTimestamp) : base.GetUtcNow();

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Volatile.Read(ref _timestamp);

    /// <summary>Timers created and not disposed that are due at some time (not stopped).</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    /// <summary>Moves the clock forward by <paramref name="by"/>, firing the timers that fall due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        var end = GetTimestamp() + by.Ticks;
        // Bounded: a periodic timer of period zero would otherwise fire forever.
        for (var fired = 0; fired < 100_000; fired++)
        {
            FakeTimer? next = null;
            lock (_lock)
            {
                foreach (var timer in _timers)
                {
                    if (timer.Due is { } due && due <= end && (next is null || due < next.Due))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    break;
                }

                Volatile.Write(ref _timestamp, Math.Max(GetTimestamp(), next.Due!.Value));
                next.Due = next.Period is { } period ? next.Due + Math.Max(period, 1) : null;
            }

            next.Callback(next.State);
        }

        Volatile.Write(ref _timestamp, end);
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class FakeTimer(FakeTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        /// <summary>When it fires next (clock ticks), or null when stopped.</summary>
        public long? Due { get; set; }

        public long? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                if (!clock._timers.Contains(this))
                {
                    return false;
                }

                Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetTimestamp() + Math.Max(0, dueTime.Ticks);
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period.Ticks;
                return true;
            }
        }

        public void Dispose()
        {
            lock (clock._lock)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
