using System.Runtime.CompilerServices;

namespace KubeProxyFast.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    // Events copied out per visit to the lock, and events looked at, so one watch catching up
    // on a long history does not hold commits back.
    private const int WatchBatch = 256;
    private const int WatchScan = 4096;

    /// <inheritdoc/>
    /// <remarks>
    /// A watch reads the shared history from its own position, as an etcd watcher does, so it
    /// costs no memory while it lags; one that lags further than the history is kept (see
    /// <see cref="EmbeddedStoreOptions.HistoryRevisions"/>) ends with <see cref="StoreCompactedException"/>.
    /// Cancellation ends the enumeration without an exception.
    /// </remarks>
    public async IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var position = afterRevision;
        var batch = new List<StoreEvent>(WatchBatch);
        while (!cancellationToken.IsCancellationRequested)
        {
            Task? committed;
            lock (_lock)
            {
                ThrowIfDisposed();
                if (position < _history.Floor)
                {
                    // etcd reports the oldest revision a watch may start at.
                    throw new StoreCompactedException(position + 1, _history.Floor + 1);
                }

                committed = ReadHistory(prefix, ref position, batch) ? null : _committed.Task;
            }

            foreach (var e in batch)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                yield return e;
            }

            batch.Clear();
            if (committed is not null && !await WaitAsync(committed, cancellationToken).ConfigureAwait(false))
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Copies the events after <paramref name="position"/> under <paramref name="prefix"/> into
    /// <paramref name="batch"/>, stopping only between revisions, and advances the position past
    /// what it looked at. False when there was nothing new. Under the lock.
    /// </summary>
    private bool ReadHistory(string prefix, ref long position, List<StoreEvent> batch)
    {
        var i = _history.IndexAfter(position);
        var start = i;
        while (i < _history.End)
        {
            var e = _history[i];
            if (e.Revision != position && (batch.Count >= WatchBatch || i - start >= WatchScan))
            {
                break;
            }

            if (e.Visible && e.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                batch.Add(e.ToStoreEvent());
            }

            position = e.Revision;
            i++;
        }

        return i > start;
    }

    private static async Task<bool> WaitAsync(Task committed, CancellationToken cancellationToken)
    {
        try
        {
            await committed.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
