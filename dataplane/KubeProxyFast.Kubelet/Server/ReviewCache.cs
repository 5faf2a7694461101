using System.Collections.Concurrent;

namespace KubeProxyFast.Kubelet.Server;

/// <summary>
/// The answers of the apiserver's reviews (TokenReview, SubjectAccessReview) kept for a while, as
/// the webhook authenticator and authorizer of Kubernetes cache them, so a busy caller (the
/// apiserver proxying logs, a metrics scraper) costs one review per lifetime, not one per request.
/// Bounded: past <see cref="MaxEntries"/> the expired entries go, and if that is not enough, all.
/// </summary>
internal sealed class ReviewCache<T>
{
    /// <summary>Most entries kept (Kubernetes' webhook caches hold 1024 per shard).</summary>
    public const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<string, (T Value, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public ReviewCache(TimeProvider time) => _time = time;

    /// <summary>The value of <paramref name="key"/> while it has not expired.</summary>
    public bool TryGet(string key, out T value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > _time.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> for <paramref name="ttl"/> (nothing when it is zero).</summary>
    public void Set(string key, T value, TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        var now = _time.GetUtcNow();
        if (_entries.Count >= MaxEntries)
        {
            foreach (var (k, entry) in _entries)
            {
                if (entry.Expires <= now)
                {
                    _entries.TryRemove(k, out _);
                }
            }

            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }
        }

        _entries[key] = (value, now + ttl);
    }
}
