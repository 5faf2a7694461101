using System.Threading.Channels;
using KubeProxyFast.Storage.Embedded.Log;

namespace KubeProxyFast.Storage.Embedded;

/// <summary>
/// The store in-process, with etcd's semantics (see README.md): the key space and a bounded
/// history in memory, every commit made durable in a write-ahead log before it is acknowledged
/// or seen, and periodic snapshots so the log stays short. One writer task orders commits and
/// shares each fsync among all commits that arrived while the previous one ran (group commit).
/// Reads are served from memory under a short lock.
/// </summary>
public sealed partial class EmbeddedStore : IStore
{
    private readonly Lock _lock = new();
    private readonly KeySpace _keys = new();
    private readonly EmbeddedStoreOptions _options;
    private readonly Channel<PendingCommit> _queue = Channel.CreateUnbounded<PendingCommit>(new UnboundedChannelOptions { SingleReader = true });
    private History _history = new(1);
    private FileStream? _directoryLock;
    private WriteAheadLog? _wal;
    private Task _writer = Task.CompletedTask;
    private TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Revision 1 is the empty store, as in etcd: the first commit makes revision 2.
    private long _revision = 1;
    private bool _disposed;

    private EmbeddedStore(EmbeddedStoreOptions options) => _options = options;

    /// <summary>The data directory, or "memory"; for messages.</summary>
    private string Name => _options.DataDirectory ?? "memory";

    /// <summary>
    /// Opens the store: loads the snapshot and replays the log in
    /// <see cref="EmbeddedStoreOptions.DataDirectory"/> (created when missing), dropping a
    /// record torn by a crash at the end of the log.
    /// </summary>
    /// <exception cref="InvalidDataException">The snapshot or the log is corrupt before its last record; the message names the file and offset.</exception>
    /// <exception cref="IOException">The directory cannot be used, or another process has it open.</exception>
    public static EmbeddedStore Open(EmbeddedStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HistoryRevisions, 1);
        var store = new EmbeddedStore(options);
        try
        {
            if (options.DataDirectory is not null)
            {
                store.Recover(options.DataDirectory);
            }
        }
        catch
        {
            store._wal?.Dispose();
            store._directoryLock?.Dispose();
            throw;
        }

        store._writer = Task.Run(store.WriteLoopAsync);
        return store;
    }

    /// <inheritdoc/>
    public Task<StoreValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            ThrowIfDisposed();
            return Task.FromResult(_keys.Get(key));
        }
    }

    /// <inheritdoc/>
    public Task CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            ArgumentOutOfRangeException.ThrowIfGreaterThan(revision, _revision);
            // As in etcd, compacting at r keeps the state at r readable and a watch from r - 1
            // servable: what goes is every change up to r - 1.
            _history.DiscardThrough(revision - 1);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops accepting commits, finishes those queued, ends the watches and closes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _queue.Writer.TryComplete();
            SignalCommitted();
        }

        await _writer.ConfigureAwait(false);
        _wal?.Dispose();
        _directoryLock?.Dispose();
    }

    private void Recover(string directory)
    {
        Directory.CreateDirectory(directory);
        try
        {
            // FileShare.None takes an advisory lock (flock) on Unix: two stores on one log would corrupt it.
            _directoryLock = new FileStream(Path.Combine(directory, "LOCK"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"the data directory {directory} is in use by another process", e);
        }

        var snapshotRevision = Snapshot.Load(directory, _keys);
        _revision = Math.Max(snapshotRevision, 1);
        _history = new History(_revision);
        var segments = WriteAheadLog.Segments(directory);
        var mutations = new List<WalMutation>();
        long validLength = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var path = segments[i].Path;
            validLength = WriteAheadLog.Read(path, isLast: i == segments.Count - 1, payload =>
            {
                mutations.Clear();
                var revision = WalRecord.Decode(payload.Span, mutations);
                if (revision <= snapshotRevision)
                {
                    return; // a segment the snapshot covers, left by a crash before its deletion
                }

                if (revision != _revision + 1)
                {
                    throw new InvalidDataException($"write-ahead log {path} jumps from revision {_revision} to {revision}");
                }

                Apply(revision, mutations);
            });
        }

        _wal = segments.Count > 0
            ? WriteAheadLog.Continue(directory, segments[^1].Path, validLength)
            : WriteAheadLog.Create(directory, _revision + 1);
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new StoreUnavailableException($"the embedded store ({Name}) is closed");
        }
    }
}
