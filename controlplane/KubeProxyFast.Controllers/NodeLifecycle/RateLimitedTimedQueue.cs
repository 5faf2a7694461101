using KubeProxyFast.Client;

namespace KubeProxyFast.Controllers.NodeLifecycle;

/// <summary>
/// The nodes of one zone waiting for their pods to be deleted, as Kubernetes'
/// <c>RateLimitedTimedQueue</c>: each node once, oldest first, taken no faster than the zone's
/// rate (a token bucket of burst 1, Kubernetes' <c>evictionLimiterBurst</c>). The rate is swapped
/// as the zone's health changes; a rate of 0 takes nothing. Thread-safe.
/// </summary>
internal sealed class RateLimitedTimedQueue
{
    private readonly Lock _lock = new();
    private readonly SortedSet<Entry> _queue = new(EntryOrder.Instance);
    private readonly Dictionary<string, Entry> _byName = new(StringComparer.Ordinal);
    private TokenBucket? _limiter;
    private long _sequence;

    /// <summary>A queue taking <paramref name="rate"/> nodes per second from <paramref name="now"/> on.</summary>
    public RateLimitedTimedQueue(double rate, TimeSpan now) => SwapLimiter(rate, now);

    /// <summary>The nodes waiting.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Queues node <paramref name="name"/> (of <paramref name="uid"/>) unless it is queued; false when it was.</summary>
    public bool Add(string name, string uid, TimeSpan now)
    {
        lock (_lock)
        {
            if (_byName.ContainsKey(name))
            {
                return false;
            }

            var entry = new Entry(name, uid, now, _sequence++);
            _byName.Add(name, entry);
            _queue.Add(entry);
            return true;
        }
    }

    /// <summary>Removes node <paramref name="name"/>; false when it was not queued.</summary>
    public bool Remove(string name)
    {
        lock (_lock)
        {
            return _byName.Remove(name, out var entry) && _queue.Remove(entry);
        }
    }

    /// <summary>From now on takes <paramref name="rate"/> nodes per second; 0 stops taking (Kubernetes' fake always-reject limiter).</summary>
    public void SwapLimiter(double rate, TimeSpan now)
    {
        lock (_lock)
        {
            _limiter = rate > 0 ? TokenBucket.PerSecond(rate, 1, now) : null;
        }
    }

    /// <summary>The oldest node whose time has come, if the rate allows one now (a token is taken); it stays queued until <see cref="Remove"/> or <see cref="Retry"/>.</summary>
    public bool TryTake(TimeSpan now, out Entry entry)
    {
        lock (_lock)
        {
            if (_queue.Count == 0 || _limiter is null || _queue.Min!.ProcessAt > now || !_limiter.TryTake(now))
            {
                entry = null!;
                return false;
            }

            entry = _queue.Min;
            return true;
        }
    }

    /// <summary>Moves <paramref name="entry"/> (still queued) to be tried again at <paramref name="at"/>.</summary>
    public void Retry(Entry entry, TimeSpan at)
    {
        lock (_lock)
        {
            if (!_byName.TryGetValue(entry.Name, out var current) || !ReferenceEquals(current, entry))
            {
                return;
            }

            _queue.Remove(entry);
            var moved = entry with { ProcessAt = at, Sequence = _sequence++ };
            _byName[entry.Name] = moved;
            _queue.Add(moved);
        }
    }

    /// <summary>Removes <paramref name="entry"/> if it is still the queued one of its node (not re-added meanwhile).</summary>
    public void Complete(Entry entry)
    {
        lock (_lock)
        {
            if (_byName.TryGetValue(entry.Name, out var current) && ReferenceEquals(current, entry))
            {
                _byName.Remove(entry.Name);
                _queue.Remove(entry);
            }
        }
    }

    /// <summary>A queued node: its name and uid, and when it may be taken.</summary>
    public sealed record Entry(string Name, string Uid, TimeSpan ProcessAt, long Sequence);

    private sealed class EntryOrder : IComparer<Entry>
    {
        public static readonly EntryOrder Instance = new();

        public int Compare(Entry? x, Entry? y)
        {
            var byTime = x!.ProcessAt.CompareTo(y!.ProcessAt);
            return byTime != 0 ? byTime : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
