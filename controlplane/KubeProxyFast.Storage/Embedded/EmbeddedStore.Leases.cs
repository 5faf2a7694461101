namespace KubeProxyFast.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    // etcd's lessor looks for expired leases every 500 ms.
    private static readonly TimeSpan LeaseCheckInterval = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc/>
    /// <remarks>A lease is logged with the puts under it, not on its own: one that never held a key is forgotten by a restart.</remarks>
    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        var seconds = LeaseSeconds.Of(ttl);
        lock (_lock)
        {
            ThrowIfDisposed();
            return Task.FromResult(_leases.Grant(seconds).Id);
        }
    }

    /// <summary>Queues the revocation of every expired lease: the writer deletes the keys still attached, as one commit each.</summary>
    private void RevokeExpiredLeases()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            foreach (var lease in _leases.Expired())
            {
                lease.Revoked = true;
                _queue.Writer.TryWrite(new PendingCommit(lease.Id));
            }
        }
    }

    /// <summary>
    /// Gives each put under a lease the lease's time to live (logged with it), or refuses the
    /// commit when the lease does not exist (any more), as etcd does. On the writer.
    /// </summary>
    private bool ResolveLeases(PendingCommit pending)
    {
        for (var i = 0; i < pending.Operations.Length; i++)
        {
            var op = pending.Operations[i];
            if (op.Lease == 0)
            {
                continue;
            }

            long ttl;
            lock (_lock)
            {
                var lease = _leases.Find(op.Lease);
                ttl = lease is { Revoked: false } ? lease.TtlSeconds : 0;
            }

            if (ttl == 0)
            {
                pending.Refusal = new ArgumentException($"requested lease not found: lease {op.Lease} of the embedded store ({Name}) does not exist or has expired");
                return false;
            }

            pending.Operations[i] = op with { LeaseTtl = ttl };
        }

        return true;
    }

    /// <summary>The keys a revocation deletes: those attached to the lease in the state or in the batch so far. On the writer.</summary>
    private List<string> AttachedKeys(long lease, Dictionary<string, StoreValue?> overlay)
    {
        var keys = new List<string>();
        lock (_lock)
        {
            if (_leases.Find(lease) is { } found)
            {
                keys.AddRange(found.Keys);
            }
        }

        foreach (var (key, value) in overlay)
        {
            if (value?.Lease == lease)
            {
                keys.Add(key);
            }
        }

        return keys;
    }
}
