using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.Storage;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Watch;

/// <summary>
/// One store watch per resource, fanned out to every HTTP watch of it (kube-apiserver's watch
/// cache): a hundred watchers cost the store one stream, and each change is encoded once. Recent
/// changes stay in a ring bounded in events and in bytes; every watcher reads the ring from its
/// own position (<see cref="WatchSubscription"/>), so replaying history or lagging costs a watcher
/// no memory of its own. A watcher the ring overtakes (it fell further behind than the ring
/// holds) is ended and re-watches, as clients do; a watch from before the ring goes to the store.
/// </summary>
internal sealed partial class WatchCache : IAsyncDisposable
{
    private const int RingCapacity = 4096;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly ResourceDefinition _resource;
    private readonly IStore _store;
    private readonly ILogger _logger;
    private readonly long _ringBytesLimit;
    private readonly Lock _lock = new();
    private readonly CachedEvent[] _ring = new CachedEvent[RingCapacity];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _ringStart;
    private int _ringCount;
    private long _ringBytes;
    private WatchFeed _feed = new();

    // Every change after this revision is in the ring; -1 until the store watch is running.
    private long _completeAfter = -1;
    private long _revision;

    /// <param name="resource">The resource watched.</param>
    /// <param name="store">Where changes come from.</param>
    /// <param name="logger">For restarts of the store watch.</param>
    /// <param name="ringBytesLimit">The most bytes (values and previous values) the ring keeps; the newest change is kept whatever its size.</param>
    public WatchCache(ResourceDefinition resource, IStore store, ILogger logger, long ringBytesLimit)
    {
        _resource = resource;
        Objects = new DecodedObjects(resource);
        _store = store;
        _logger = logger;
        _ringBytesLimit = ringBytesLimit;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Decoded objects of the resource, kept current by this cache's watch.</summary>
    public DecodedObjects Objects { get; }

    /// <summary>
    /// The changes after <paramref name="afterRevision"/>, history from the ring and then live; null
    /// when the ring does not reach back that far (or the store watch is not running), and the
    /// caller must watch the store itself.
    /// </summary>
    public WatchSubscription? TryWatch(long afterRevision)
    {
        lock (_lock)
        {
            return _completeAfter < 0 || afterRevision < _completeAfter ? null : new WatchSubscription(this, _feed, afterRevision);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        EndAll(null);
        _stop.Dispose();
    }

    /// <summary>
    /// The oldest change after <paramref name="position"/> of <paramref name="feed"/>, or, when
    /// there is none yet, a task that completes at the next change (or when the feed ends).
    /// </summary>
    /// <exception cref="WatcherTooSlowException">The ring dropped changes after <paramref name="position"/>.</exception>
    internal (CachedEvent? Next, Task Changed) Read(WatchFeed feed, long position)
    {
        lock (_lock)
        {
            if (feed.Ended)
            {
                return (null, Task.CompletedTask);
            }

            if (position < _completeAfter)
            {
                throw new WatcherTooSlowException();
            }

            var i = IndexAfter(position);
            return i < _ringCount ? (_ring[(_ringStart + i) % RingCapacity], Task.CompletedTask) : (null, feed.Changed.Task);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (_completeAfter < 0)
                {
                    // Only the revision is wanted: a range that holds no key, so no value is read
                    // (one that cannot be decrypted would otherwise stop the cache from starting).
                    var start = await _store.ListAsync(_resource.KeyPrefix + "\uffff", new StoreListOptions { Limit = 1 }, cancellationToken).ConfigureAwait(false);
                    lock (_lock)
                    {
                        _revision = start.Revision;
                        _completeAfter = start.Revision;
                        Objects.Start(start.Revision);
                    }
                }

                await foreach (var change in _store.WatchAsync(_resource.KeyPrefix, _revision, cancellationToken).ConfigureAwait(false))
                {
                    Publish(new CachedEvent(_resource, change));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Lost or compacted under us (or anything else: this loop must outlive it): every
                // watcher ends (they re-watch), and the ring starts over.
                LogRestart(_logger, _resource.Name, e.Message);
                EndAll(e as StoreException ?? new StoreUnavailableException(e.Message, inner: e));
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Publish(CachedEvent e)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            // The oldest go until the new one fits; a watch from before the next one's revision is
            // no longer complete here, and watchers still behind it are ended when they read.
            while (_ringCount > 0 && (_ringCount == RingCapacity || _ringBytes + e.Bytes > _ringBytesLimit))
            {
                var oldest = _ring[_ringStart];
                _ring[_ringStart] = null!;
                _ringBytes -= oldest.Bytes;
                _ringStart = (_ringStart + 1) % RingCapacity;
                _ringCount--;
                _completeAfter = oldest.Change.Revision;
            }

            if (e.Change.Type != StoreEventType.Created)
            {
                Objects.Changed(e.Change.Key, e.Change.Revision);
            }

            _ring[(_ringStart + _ringCount) % RingCapacity] = e;
            _ringCount++;
            _ringBytes += e.Bytes;
            _revision = e.Change.Revision;
            changed = _feed.TakeChanged();
        }

        // Outside the lock: the watchers' continuations may run inline.
        changed.TrySetResult();
    }

    /// <summary>The index in the ring (0 = oldest) of the first change after <paramref name="revision"/>. Under the lock.</summary>
    private int IndexAfter(long revision)
    {
        int lo = 0, hi = _ringCount;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_ring[(_ringStart + mid) % RingCapacity].Change.Revision <= revision)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void EndAll(Exception? reason)
    {
        WatchFeed ended;
        lock (_lock)
        {
            ended = _feed;
            _feed = new WatchFeed();
            Array.Clear(_ring);
            _ringStart = 0;
            _ringCount = 0;
            _ringBytes = 0;
            _completeAfter = -1;
            Objects.Stop();
        }

        ended.End(reason);
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "watch cache of {Resource} restarts: {Error}")]
    private static partial void LogRestart(ILogger logger, string resource, string error);
}
