namespace KubeProxyFast.Client.WorkQueue;

public sealed partial class RateLimitingQueue<TKey>
{
    private readonly TimeProvider _time;
    private readonly long _origin;
    // One timer, armed for the earliest delayed key.
    private readonly ITimer _timer;
    // Each delayed key once, at its earliest time; the heap may hold stale entries of a key
    // brought forward, skipped when popped because the map says another time.
    private readonly Dictionary<TKey, TimeSpan> _delayed = [];
    private readonly PriorityQueue<TKey, TimeSpan> _due = new();

    private TimeSpan Now => _time.GetElapsedTime(_origin);

    /// <summary>
    /// Queues <paramref name="key"/> once <paramref name="delay"/> has passed (at once when it is
    /// not positive). A key already waiting keeps the earlier of its two times.
    /// </summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            // client-go counts every AddAfter as a retry, immediate ones included.
            _metrics?.Retries.Inc();
            if (delay <= TimeSpan.Zero)
            {
                AddLocked(key);
                return;
            }

            var at = Now + delay;
            if (_delayed.TryGetValue(key, out var existing) && existing <= at)
            {
                return;
            }

            _delayed[key] = at;
            _due.Enqueue(key, at);
            // The earliest entry may be a stale one: then the timer fires early and re-arms.
            _due.TryPeek(out _, out var earliest);
            ArmLocked(earliest);
        }
    }

    /// <summary>Moves every key whose time has come into the queue, then re-arms for the next.</summary>
    private void AddDue()
    {
        lock (_lock)
        {
            var now = Now;
            while (_due.TryPeek(out var key, out var at))
            {
                if (!_delayed.TryGetValue(key, out var current) || current != at)
                {
                    _due.Dequeue();
                    continue;
                }

                if (at > now)
                {
                    ArmLocked(at);
                    return;
                }

                _due.Dequeue();
                _delayed.Remove(key);
                AddLocked(key);
            }
        }
    }

    private void ArmLocked(TimeSpan at)
    {
        if (_shuttingDown)
        {
            return;
        }

        var wait = at - Now;
        _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
