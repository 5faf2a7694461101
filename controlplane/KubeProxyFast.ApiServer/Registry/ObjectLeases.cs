using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Registry;

/// <summary>
/// Store leases for objects that expire (events, after <see cref="ApiServerOptions.EventTtl"/>),
/// as kube-apiserver's lease manager hands them out: one lease serves every write for a while, so
/// a busy cluster does not grant a lease per event. A lease is granted for the time to live plus
/// a reuse window (5% of it, at most a minute) and reused while it still outlives a new write by
/// the time to live, for at most 1,000 writes; every event thus lives between the time to live
/// and that plus the window after its last write.
/// </summary>
internal sealed class ObjectLeases
{
    // kube-apiserver's defaults (storage/etcd3 leaseManager): a window of 5% of the TTL, at most 60 s; 1,000 objects per lease.
    private const double ReuseFraction = 0.05;
    private const int MaxObjectsPerLease = 1000;
    private static readonly TimeSpan MaxReuse = TimeSpan.FromSeconds(60);

    private readonly IStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _eventTtl;
    private readonly Lock _lock = new();
    private long _lease;
    private DateTimeOffset _leaseExpires;
    private int _attached;
    private int _sharers;
    private Task<long>? _granting;

    public ObjectLeases(IStore store, TimeProvider time, TimeSpan eventTtl)
    {
        _store = store;
        _time = time;
        _eventTtl = eventTtl;
    }

    /// <summary>The lease a write of <paramref name="resource"/> attaches its key to, or 0 when its objects do not expire.</summary>
    public async ValueTask<long> ForAsync(ResourceDefinition resource, CancellationToken cancellationToken)
    {
        if (resource != Resources.Events)
        {
            return 0;
        }

        var ttl = TimeSpan.FromSeconds(Math.Ceiling(_eventTtl.TotalSeconds));
        var reuse = TimeSpan.FromSeconds(Math.Floor(Math.Min(ttl.TotalSeconds * ReuseFraction, MaxReuse.TotalSeconds)));
        Task<long> granting;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            // Valid: the lease outlives this write by the TTL. Sufficient: it was not granted so
            // far ahead (a clock step back) that the write would live past TTL plus the window.
            var valid = now + ttl < _leaseExpires;
            var sufficient = now + ttl + reuse > _leaseExpires;
            if (_lease != 0 && valid && sufficient && _attached < MaxObjectsPerLease)
            {
                _attached++;
                return _lease;
            }

            // Writes that arrive while a lease is being granted share it, as they would wait for
            // kube-apiserver's lease mutex; not cancelled with the first of them.
            // A finished grant (failed, or done before this write looked) is not shared: grant anew.
            if (_granting is null || _granting.IsCompleted)
            {
                _sharers = 1;
                _granting = GrantAsync(now + ttl + reuse, ttl + reuse);
            }
            else
            {
                _sharers++;
            }

            granting = _granting;
        }

        return await granting.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> GrantAsync(DateTimeOffset expires, TimeSpan ttl)
    {
        var lease = await _store.GrantLeaseAsync(ttl, CancellationToken.None).ConfigureAwait(false);
        lock (_lock)
        {
            _lease = lease;
            _leaseExpires = expires;
            // Every write that waited for this grant holds it: they count against the limit too.
            _attached = _sharers;
        }

        return lease;
    }
}
