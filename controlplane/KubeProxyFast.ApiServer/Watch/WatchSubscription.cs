using System.Runtime.CompilerServices;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Watch;

/// <summary>
/// One HTTP watch's feed from a <see cref="WatchCache"/>: a position in the cache's ring, read one
/// change at a time, so neither history nor a backlog is ever copied for one watcher. A watcher
/// the ring overtakes ends with <see cref="WatcherTooSlowException"/>.
/// </summary>
internal sealed class WatchSubscription
{
    private readonly WatchCache _cache;
    private readonly WatchFeed _feed;
    private readonly long _afterRevision;

    public WatchSubscription(WatchCache cache, WatchFeed feed, long afterRevision)
    {
        _cache = cache;
        _feed = feed;
        _afterRevision = afterRevision;
    }

    /// <summary>
    /// The changes after the revision asked for. A client may be ahead of the cache (it watches
    /// from the revision its own write returned): the ring's changes up to it are skipped.
    /// </summary>
    /// <exception cref="WatcherTooSlowException">The ring dropped changes this watcher had not read.</exception>
    public async IAsyncEnumerable<CachedEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = _afterRevision;
        while (true)
        {
            var (next, changed) = _cache.Read(_feed, position);
            if (next is not null)
            {
                position = next.Change.Revision;
                yield return next;
                continue;
            }

            if (_feed.Ended)
            {
                if (_feed.Reason is { } reason)
                {
                    throw OwnCopy(reason);
                }

                yield break;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The feed's reason, as an exception of this watcher's own: every watcher of the feed throws
    /// at once, and one instance thrown from many threads would have its stack trace rewritten
    /// under it. Anything but a compaction reaches the client as the store being unavailable.
    /// </summary>
    private static StoreException OwnCopy(Exception reason) => reason switch
    {
        StoreCompactedException c => new StoreCompactedException(c.RequestedRevision, c.CompactedRevision, c),
        _ => new StoreUnavailableException("the watch cache's store watch ended: " + reason.Message, inner: reason),
    };
}

/// <summary>A watcher that fell further behind than the watch cache holds: its stream ends and the client watches again.</summary>
internal sealed class WatcherTooSlowException : Exception
{
    public WatcherTooSlowException()
        : base("the watcher fell too far behind")
    {
    }
}
