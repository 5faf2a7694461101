namespace KubeProxyFast.Kubelet.Images;

/// <summary>
/// Per-key (pod UID + image) pull back-off with the kubelet's figures: after a failed pull the key is
/// in back-off for 10 s, doubled after each further failure up to 5 min; an entry untouched for twice
/// the maximum starts again from 10 s (Kubernetes' <c>flowcontrol.Backoff</c> semantics, written from
/// its documented behaviour). Thread-safe; time from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class ImagePullBackOff
{
    /// <summary>The first back-off.</summary>
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);

    /// <summary>The longest back-off.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private readonly Dictionary<string, (long LastFailure, TimeSpan Delay, string? Error)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>A back-off on <paramref name="time"/>.</summary>
    public ImagePullBackOff(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>Whether <paramref name="key"/> failed less than its back-off ago.</summary>
    public bool IsInBackOff(string key) => IsInBackOff(key, out _);

    /// <summary>Whether <paramref name="key"/> failed less than its back-off ago, and the failure's message.</summary>
    public bool IsInBackOff(string key, out string? lastError)
    {
        lock (_lock)
        {
            var inBackOff = _entries.TryGetValue(key, out var e) && _time.GetElapsedTime(e.LastFailure) < e.Delay;
            lastError = inBackOff ? e.Error : null;
            return inBackOff;
        }
    }

    /// <summary>The current back-off of <paramref name="key"/>; null when it has none.</summary>
    public TimeSpan? Current(string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var e) && !Expired(e.LastFailure) ? e.Delay : null;
        }
    }

    /// <summary>Records a failure of <paramref name="key"/> now (with its message): 10 s the first time, then doubled up to 5 min.</summary>
    public TimeSpan Failed(string key, string? error = null)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var delay = _entries.TryGetValue(key, out var e) && !Expired(e.LastFailure)
                ? TimeSpan.FromTicks(Math.Min(e.Delay.Ticks * 2, Max.Ticks))
                : Initial;
            _entries[key] = (now, delay, error);
            if (_entries.Count > 64)
            {
                foreach (var stale in _entries.Where(x => Expired(x.Value.LastFailure)).Select(x => x.Key).ToList())
                {
                    _entries.Remove(stale);
                }
            }
            return delay;
        }
    }

    /// <summary>Forgets <paramref name="key"/> (a pull succeeded).</summary>
    public void Reset(string key)
    {
        lock (_lock)
        {
            _entries.Remove(key);
        }
    }

    private bool Expired(long lastFailure) => _time.GetElapsedTime(lastFailure) > 2 * Max;
}
