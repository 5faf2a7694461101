using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace KubeProxyFast.ApiServer.Watch;

/// <summary>One HTTP watch's feed from a <see cref="WatchCache"/>; disposing it stops the feed.</summary>
internal sealed class WatchSubscription : IDisposable
{
    private readonly Channel<CachedEvent> _channel;
    private readonly long _afterRevision;
    private readonly Action _unsubscribe;

    public WatchSubscription(Channel<CachedEvent> channel, long afterRevision, Action unsubscribe)
    {
        _channel = channel;
        _afterRevision = afterRevision;
        _unsubscribe = unsubscribe;
    }

    /// <summary>
    /// The changes after the revision asked for. A client may be ahead of the cache (it watches
    /// from the revision its own write returned), so changes up to that revision are skipped here.
    /// </summary>
    public async IAsyncEnumerable<CachedEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (e.Change.Revision > _afterRevision)
            {
                yield return e;
            }
        }
    }

    public void Dispose() => _unsubscribe();
}

/// <summary>A watcher whose backlog filled up: its stream ends and the client watches again.</summary>
internal sealed class WatcherTooSlowException : Exception
{
    public WatcherTooSlowException()
        : base("the watcher fell too far behind")
    {
    }
}
