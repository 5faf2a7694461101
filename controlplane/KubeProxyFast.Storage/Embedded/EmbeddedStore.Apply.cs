using KubeProxyFast.Storage.Embedded.Log;

namespace KubeProxyFast.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    /// <summary>Makes a durable revision current: the key space, the history, auto-compaction. Under the lock (or alone, during recovery).</summary>
    private void Apply(long revision, List<WalMutation> mutations)
    {
        foreach (var m in mutations)
        {
            var previous = _keys.Get(m.Key);
            if (previous is { Lease: not 0 })
            {
                _leases.Detach(m.Key, previous.Lease);
            }

            if (m.Value is null)
            {
                if (previous is not null)
                {
                    _keys.Remove(m.Key);
                    _history.Append(new HistoryEvent(revision, m.Key, null, previous));
                }
            }
            else
            {
                var value = new StoreValue(m.Key, m.Value, revision, previous?.CreateRevision ?? revision, m.Lease);
                _keys.Put(value);
                _history.Append(new HistoryEvent(revision, m.Key, value, previous));
                if (m.Lease != 0)
                {
                    _leases.Attach(m.Key, m.Lease, m.LeaseTtl);
                }
            }
        }

        _revision = revision;
        if (revision - _history.CompactRevision > _options.HistoryRevisions)
        {
            _history.Compact(revision - _options.HistoryRevisions);
        }
    }

    /// <summary>Every key attached to a lease, with the lease's time to live, for a snapshot. On the writer.</summary>
    private List<(string Key, long Lease, long TtlSeconds)> AttachedToLeases()
    {
        lock (_lock)
        {
            return _leases.Attachments();
        }
    }

    /// <summary>Wakes the watches waiting for a new revision. Under the lock.</summary>
    private void SignalCommitted()
    {
        var committed = _committed;
        _committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        committed.SetResult();
    }

    private void Fail(List<PendingCommit> batch, Exception cause, bool outcomeUnknown)
    {
        foreach (var pending in batch)
        {
            var wrote = outcomeUnknown && pending.Mutations.Count > 0;
            pending.TrySetException(new StoreUnavailableException(
                $"the embedded store ({Name}) cannot write its log: {cause.Message}; " + (wrote ? "the commit may or may not be in the log" : "nothing was committed"),
                wrote,
                cause));
        }
    }

    /// <summary>
    /// Once the log segment is large, snapshots the key space and starts a new segment. On the
    /// writer, between batches. Not while the segment holds no record (the revision has not moved
    /// since it began): that snapshot would add nothing, and the new segment would take the
    /// current one's name.
    /// </summary>
    private void MaybeSnapshot()
    {
        if (_wal is null || _wal.SegmentBytes < _options.SnapshotAfterBytes || _wal.FirstRevision > _revision)
        {
            return;
        }

        try
        {
            // The writer is the only mutator, so the key space holds still while it is written out.
            Snapshot.Write(_options.DataDirectory!, _revision, _keys, AttachedToLeases(), _options.Sync);
            _wal.Rotate(_revision + 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _writeFailure = e;
        }
    }
}
