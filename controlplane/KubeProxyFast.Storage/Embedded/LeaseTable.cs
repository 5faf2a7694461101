namespace KubeProxyFast.Storage.Embedded;

/// <summary>One lease: its time to live, when it expires and the keys attached to it.</summary>
internal sealed class Lease(long id, long ttlSeconds, long expiresAt)
{
    /// <summary>The id, never 0.</summary>
    public long Id { get; } = id;

    /// <summary>The time to live it was granted with, in seconds (logged with each key put under it).</summary>
    public long TtlSeconds { get; } = ttlSeconds;

    /// <summary>When it expires, in the store's <see cref="TimeProvider"/> timestamps.</summary>
    public long ExpiresAt { get; } = expiresAt;

    /// <summary>The keys attached to it, as the visible state has them.</summary>
    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>Its revocation is queued (it expired): puts may no longer name it.</summary>
    public bool Revoked { get; set; }
}

/// <summary>
/// The embedded store's leases, as etcd's lessor keeps them: granted with a time to live, keys
/// attached by puts and detached by later puts or deletes, revoked on expiry by deleting every key
/// still attached. Not persisted on their own: each put under a lease logs the lease's id and time
/// to live, so recovery rebuilds the leases that hold keys, each with its whole time to live again
/// (as etcd refreshes its leases when it restarts). Not thread-safe: the store's lock.
/// </summary>
internal sealed class LeaseTable(TimeProvider time)
{
    private readonly Dictionary<long, Lease> _leases = [];
    private long _lastId;

    /// <summary>Grants a new lease expiring <paramref name="ttlSeconds"/> from now.</summary>
    public Lease Grant(long ttlSeconds) => Add(++_lastId, ttlSeconds);

    /// <summary>The lease, or null when it does not exist (any more).</summary>
    public Lease? Find(long id) => _leases.GetValueOrDefault(id);

    /// <summary>Attaches <paramref name="key"/> to lease <paramref name="id"/>, recreating the lease with its whole time to live when recovery meets it first.</summary>
    public void Attach(string key, long id, long ttlSeconds)
    {
        if (!_leases.TryGetValue(id, out var lease))
        {
            _lastId = Math.Max(_lastId, id);
            lease = Add(id, ttlSeconds);
        }

        lease.Keys.Add(key);
    }

    /// <summary>Detaches <paramref name="key"/> from lease <paramref name="id"/>.</summary>
    public void Detach(string key, long id)
    {
        if (_leases.TryGetValue(id, out var lease))
        {
            lease.Keys.Remove(key);
        }
    }

    /// <summary>Every attached key with its lease and the lease's time to live.</summary>
    public List<(string Key, long Lease, long TtlSeconds)> Attachments()
    {
        var attached = new List<(string, long, long)>();
        foreach (var lease in _leases.Values)
        {
            foreach (var key in lease.Keys)
            {
                attached.Add((key, lease.Id, lease.TtlSeconds));
            }
        }

        return attached;
    }

    /// <summary>Forgets a revoked lease.</summary>
    public void Remove(long id) => _leases.Remove(id);

    /// <summary>The leases expired by now and not yet revoked.</summary>
    public List<Lease> Expired()
    {
        var now = time.GetTimestamp();
        var expired = new List<Lease>();
        foreach (var lease in _leases.Values)
        {
            if (!lease.Revoked && lease.ExpiresAt <= now)
            {
                expired.Add(lease);
            }
        }

        return expired;
    }

    private Lease Add(long id, long ttlSeconds)
    {
        var lease = new Lease(id, ttlSeconds, time.GetTimestamp() + (ttlSeconds * time.TimestampFrequency));
        _leases[id] = lease;
        return lease;
    }
}
