using System.Threading.Channels;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.Storage;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Watch;

/// <summary>
/// One store watch per resource, fanned out to every HTTP watch of it (kube-apiserver's watch
/// cache): a hundred watchers cost the store one stream, and each change is encoded once. Recent
/// changes stay in a ring, so a watch from a recent resourceVersion (a list's, or the last one a
/// client saw) replays from memory. A watch the ring cannot serve goes to the store directly;
/// a watcher that falls behind by a full channel is ended, and re-watches as clients do.
/// </summary>
internal sealed partial class WatchCache : IAsyncDisposable
{
    private const int RingCapacity = 4096;
    private const int SubscriberBacklog = 4096;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly ResourceDefinition _resource;
    private readonly IStore _store;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly CachedEvent[] _ring = new CachedEvent[RingCapacity];
    private readonly List<Channel<CachedEvent>> _subscribers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _ringStart;
    private int _ringCount;

    // Every change after this revision is in the ring; -1 until the store watch is running.
    private long _completeAfter = -1;
    private long _revision;

    public WatchCache(ResourceDefinition resource, IStore store, ILogger logger)
    {
        _resource = resource;
        Objects = new DecodedObjects(resource);
        _store = store;
        _logger = logger;
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
            if (_completeAfter < 0 || afterRevision < _completeAfter)
            {
                return null;
            }

            var channel = Channel.CreateBounded<CachedEvent>(new BoundedChannelOptions(SubscriberBacklog) { SingleReader = true, SingleWriter = true });
            for (var i = 0; i < _ringCount; i++)
            {
                var e = _ring[(_ringStart + i) % RingCapacity];
                if (e.Change.Revision > afterRevision && !channel.Writer.TryWrite(e))
                {
                    // More history than a backlog: the store serves this one.
                    return null;
                }
            }

            _subscribers.Add(channel);
            return new WatchSubscription(channel, afterRevision, () => Unsubscribe(channel));
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

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (_completeAfter < 0)
                {
                    var start = await _store.ListAsync(_resource.KeyPrefix, new StoreListOptions { Limit = 1 }, cancellationToken).ConfigureAwait(false);
                    lock (_lock)
                    {
                        _revision = start.Revision;
                        _completeAfter = start.Revision;
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
        lock (_lock)
        {
            if (_ringCount == RingCapacity)
            {
                // The oldest goes; a watch from before the next one's revision is no longer complete here.
                _ringStart = (_ringStart + 1) % RingCapacity;
                _ringCount--;
                _completeAfter = _ring[_ringStart].Change.Revision;
            }

            if (e.Change.Type != StoreEventType.Created)
            {
                Objects.Evict(e.Change.Key);
            }

            _ring[(_ringStart + _ringCount) % RingCapacity] = e;
            _ringCount++;
            _revision = e.Change.Revision;
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].Writer.TryWrite(e))
                {
                    _subscribers[i].Writer.TryComplete(new WatcherTooSlowException());
                    _subscribers.RemoveAt(i);
                }
            }
        }
    }

    private void EndAll(Exception? reason)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete(reason);
            }

            _subscribers.Clear();
            _ringCount = 0;
            _completeAfter = -1;
            Objects.Clear();
        }
    }

    private void Unsubscribe(Channel<CachedEvent> channel)
    {
        lock (_lock)
        {
            _subscribers.Remove(channel);
        }
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "watch cache of {Resource} restarts: {Error}")]
    private static partial void LogRestart(ILogger logger, string resource, string error);
}
