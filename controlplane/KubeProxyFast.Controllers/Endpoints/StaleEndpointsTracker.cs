namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>
/// The resourceVersion each Endpoints had before this controller last replaced it, as Kubernetes'
/// staleEndpointsTracker: when the informer still shows that version, its cache is behind the
/// controller's own write, and a sync deciding from it could skip a needed write (the old state
/// may equal the new wish) — so the sync fails and retries once the cache caught up.
/// </summary>
internal sealed class StaleEndpointsTracker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _replaced = new(StringComparer.Ordinal);

    /// <summary>Remembers that the version <paramref name="resourceVersion"/> of <paramref name="key"/> was replaced.</summary>
    public void Replaced(string key, string resourceVersion)
    {
        lock (_lock)
        {
            _replaced[key] = resourceVersion;
        }
    }

    /// <summary>True when <paramref name="resourceVersion"/> is the version of <paramref name="key"/> this controller replaced.</summary>
    public bool IsStale(string key, string? resourceVersion)
    {
        lock (_lock)
        {
            return resourceVersion is not null && _replaced.TryGetValue(key, out var replaced) && replaced == resourceVersion;
        }
    }

    /// <summary>Forgets a deleted service's Endpoints.</summary>
    public void Delete(string key)
    {
        lock (_lock)
        {
            _replaced.Remove(key);
        }
    }
}
