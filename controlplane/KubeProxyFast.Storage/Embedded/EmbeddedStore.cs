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
    private readonly LeaseTable _leases;
    private History _history = new(0);
    private ITimer? _leaseExpiry;
    private FileStream? _directoryLock;
    private WriteAheadLog? _wal;
    private Task _writer = Task.CompletedTask;
    private TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Revision 1 is the empty store, as in etcd: the first commit makes revision 2.
    private long _revision = 1;
    private bool _disposed;

    private EmbeddedStore(EmbeddedStoreOptions options)
    {
        _options = options;
        _leases = new LeaseTable(options.Time);
    }

    /// <summary>The data directory, or "memory"; for messages.</summary>
    private string Name => _options.DataDirectory ?? "memory";

    /// <summary>
    /// Opens the store: loads the snapshot and replays the log in
    /// <see cref="EmbeddedStoreOptions.DataDirectory"/> (created when missing), dropping only a
    /// write cut short by a crash at the very end of the log, and logging it.
    /// </summary>
    /// <exception cref="StoreCorruptionException">
    /// The snapshot or the log is damaged, or of another format; the message names the file and
    /// the byte offset. Damage in the log is repaired instead with <see cref="EmbeddedStoreOptions.Repair"/>.
    /// </exception>
    /// <exception cref="IOException">The directory cannot be used, or another process has it open.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public static EmbeddedStore Open(EmbeddedStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HistoryRevisions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SnapshotAfterBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRequestBytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxRequestBytes, EmbeddedStoreOptions.MaxRequestBytesCeiling);
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
        store._leaseExpiry = options.Time.CreateTimer(static s => ((EmbeddedStore)s!).RevokeExpiredLeases(), store, LeaseCheckInterval, LeaseCheckInterval);
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
            _history.Compact(revision);
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
            _leaseExpiry?.Dispose();
            _queue.Writer.TryComplete();
            SignalCommitted();
        }

        await _writer.ConfigureAwait(false);
        _wal?.Dispose();
        _directoryLock?.Dispose();
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new StoreUnavailableException($"the embedded store ({Name}) is closed");
        }
    }
}
