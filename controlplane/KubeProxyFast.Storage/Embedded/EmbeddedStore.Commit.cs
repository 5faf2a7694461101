using System.Buffers;
using KubeProxyFast.Storage.Embedded.Log;

namespace KubeProxyFast.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    // A batch is what queued while the last fsync ran; the caps bound one log write and its
    // buffer (a batch stops growing once past 4 MiB, so it is at most that plus one record).
    private const int MaxBatch = 1024;
    private const long MaxBatchBytes = 4 << 20;

    private Exception? _writeFailure;

    /// <inheritdoc/>
    public Task<StoreTxnResult> CommitAsync(StoreTxn txn, CancellationToken cancellationToken = default)
    {
        TxnValidation.ThrowIfInvalid(txn);
        cancellationToken.ThrowIfCancellationRequested();
        // Refused before anything is copied or queued: the store never writes a record that
        // recovery would not read back (MaxRequestBytes is below the frame limit).
        var size = WalRecord.PayloadSize(txn.Operations);
        if (size > _options.MaxRequestBytes)
        {
            throw new StoreRequestTooLargeException(
                $"request is too large: the transaction is {size} bytes, over the embedded store's limit of {_options.MaxRequestBytes} bytes (as etcd's --max-request-bytes)",
                _options.MaxRequestBytes);
        }

        var pending = new PendingCommit(txn, size);
        // Once queued the commit is not abandoned on cancellation: it is at most one fsync away,
        // and an abandoned commit would leave its caller not knowing whether it happened.
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new StoreUnavailableException($"the embedded store ({Name}) is closed");
        }

        return pending.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingCommit>();
        var buffer = new ArrayBufferWriter<byte>(64 << 10);
        var overlay = new Dictionary<string, StoreValue?>(StringComparer.Ordinal);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            long bytes = 0;
            while (batch.Count < MaxBatch && bytes < MaxBatchBytes && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                bytes += pending.RecordBytes;
            }

            try
            {
                CommitBatch(batch, buffer, overlay);
            }
            catch (Exception e)
            {
                // A bug, not a disk error: the batch's overlay and the state may disagree now, so
                // the store stops taking writes rather than leave callers waiting forever.
                _writeFailure = e;
                foreach (var pending in batch)
                {
                    pending.TrySetException(e);
                }
            }

            batch.Clear();
            buffer.ResetWrittenCount();
            overlay.Clear();
        }
    }

    private void CommitBatch(List<PendingCommit> batch, ArrayBufferWriter<byte> buffer, Dictionary<string, StoreValue?> overlay)
    {
        if (_writeFailure is { } earlier)
        {
            Fail(batch, earlier, outcomeUnknown: false);
            return;
        }

        // Conditions are checked against the state plus the batch's earlier commits (the
        // overlay); nothing becomes visible until the whole batch is on disk.
        var revision = _revision;
        foreach (var pending in batch)
        {
            Evaluate(pending, ref revision, overlay, buffer);
        }

        try
        {
            if (_wal is not null && buffer.WrittenCount > 0)
            {
                _wal.Append(buffer.WrittenSpan);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // After a failed fsync the page cache may have dropped the data and the log's tail
            // is unknown (PostgreSQL's "fsyncgate"), so no further write is trusted.
            _writeFailure = e;
            Fail(batch, e, outcomeUnknown: true);
            return;
        }

        lock (_lock)
        {
            foreach (var pending in batch)
            {
                if (pending.Mutations.Count > 0)
                {
                    Apply(pending.Revision, pending.Mutations);
                }

                if (pending.RevokeLease != 0)
                {
                    _leases.Remove(pending.RevokeLease);
                }
            }

            SignalCommitted();
        }

        foreach (var pending in batch)
        {
            if (pending.Refusal is { } refusal)
            {
                pending.TrySetException(refusal);
            }
            else
            {
                pending.TrySetResult(pending.Result!);
            }
        }

        MaybeSnapshot();
    }

    private void Evaluate(PendingCommit pending, ref long revision, Dictionary<string, StoreValue?> overlay, ArrayBufferWriter<byte> buffer)
    {
        // The writer is the only mutator of _keys, so it reads them without the lock.
        StoreValue? Lookup(string key) => overlay.TryGetValue(key, out var v) ? v : _keys.Get(key);
        if (pending.RevokeLease != 0)
        {
            // Only the keys still attached: a later put may have moved a key to another lease or none.
            foreach (var key in AttachedKeys(pending.RevokeLease, overlay))
            {
                if (Lookup(key)?.Lease == pending.RevokeLease)
                {
                    pending.Mutations.Add(new WalMutation(key, null));
                    overlay[key] = null;
                }
            }

            Commit(pending, ref revision, buffer);
            return;
        }

        if (!ResolveLeases(pending))
        {
            return;
        }

        var holds = true;
        foreach (var c in pending.Conditions)
        {
            var current = Lookup(c.Key);
            holds &= c.ModRevision == 0 ? current is null : current?.ModRevision == c.ModRevision;
        }

        if (!holds)
        {
            pending.Result = new StoreTxnResult(false, revision, pending.Conditions.Select(c => Lookup(c.Key)).ToArray());
            return;
        }

        var next = revision + 1;
        foreach (var op in pending.Operations)
        {
            var previous = Lookup(op.Key);
            if (op.Value is not null)
            {
                pending.Mutations.Add(op);
                overlay[op.Key] = new StoreValue(op.Key, op.Value, next, previous?.CreateRevision ?? next, op.Lease);
            }
            else if (previous is not null)
            {
                pending.Mutations.Add(op);
                overlay[op.Key] = null;
            }
        }

        Commit(pending, ref revision, buffer);
    }

    /// <summary>Gives the mutations of a commit whose conditions held the next revision and logs them.</summary>
    private static void Commit(PendingCommit pending, ref long revision, ArrayBufferWriter<byte> buffer)
    {
        // As in etcd, a transaction that changes nothing (only deletes of absent keys) takes no revision.
        if (pending.Mutations.Count > 0)
        {
            revision++;
            pending.Revision = revision;
            WalRecord.Write(buffer, revision, pending.Mutations);
        }

        pending.Result = new StoreTxnResult(true, revision, []);
    }
}
