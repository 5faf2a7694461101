using System.Runtime.CompilerServices;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Metrics;
using KubeProxyFast.ApiServer.Selection;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Watch;

/// <summary>
/// <c>?watch=true</c>: newline-delimited <c>{"type","object"}</c> events over a chunked response.
/// Without a resourceVersion (or with "0") the current objects come first as ADDED; with one,
/// every change after it. A compacted resourceVersion answers 410 Gone before the stream starts,
/// or an ERROR event with the 410 Status if compaction overtakes a running watch.
/// </summary>
internal sealed class WatchHandler
{
    // Kubernetes honours any timeoutSeconds; the timer here holds at most uint.MaxValue - 1 ms
    // (about 49.7 days), so a longer one is that long rather than a 500.
    private const long MaxTimeoutSeconds = (uint.MaxValue - 1L) / 1000;

    private readonly IStore _store;
    private readonly ListHandler _lists;
    private readonly WatchCaches _caches;
    private readonly RequestMetrics _metrics;
    private readonly ApiServerOptions _options;

    public WatchHandler(IStore store, ListHandler lists, WatchCaches caches, RequestMetrics metrics, ApiServerOptions options)
    {
        _metrics = metrics;
        _store = store;
        _lists = lists;
        _caches = caches;
        _options = options;
    }

    public async Task WatchAsync(ApiContext context)
    {
        var query = ListQuery.Parse(context);
        var bookmarks = context.Flag("allowWatchBookmarks");
        var timeout = context.Integer("timeoutSeconds") is { } seconds and > 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, MaxTimeoutSeconds))
            // As kube-apiserver: a random timeout between the minimum and twice it spreads re-watches.
            : _options.MinWatchTimeout * (1 + Random.Shared.NextDouble());
        ListPage? initial = null;
        long after;
        // Validated with the query (400 for a resourceVersion that is no revision); "0" and "00"
        // alike mean "the current state, then changes", as Kubernetes parses the number.
        if (query.Version.Revision is not { } revision || revision == 0)
        {
            initial = await _lists.ReadPageAsync(query, 0, 0, null, context.Aborted).ConfigureAwait(false);
            after = initial.Revision;
        }
        else
        {
            after = revision;
            await ThrowIfCompactedAsync(query, after, context.Aborted).ConfigureAwait(false);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.Aborted);
        deadline.CancelAfter(timeout);
        using var stream = new WatchStream(context, query.Resource);
        await stream.StartAsync().ConfigureAwait(false);
        try
        {
            if (initial is not null)
            {
                foreach (var item in initial.Items)
                {
                    stream.WriteEvent(WatchEventTypes.Added, item.Value.Value, item.Value.ModRevision, item.Decoded);
                    if (stream.Unflushed >= WatchStream.FlushBytes)
                    {
                        await stream.FlushAsync(deadline.Token).ConfigureAwait(false);
                    }
                }

                await stream.FlushAsync(deadline.Token).ConfigureAwait(false);
            }

            var subscription = _caches.For(query.Resource).TryWatch(after);
            _metrics.RecordWatch(query.Resource.Name, subscription is not null);
            var changes = subscription?.ReadAllAsync(deadline.Token) ?? FromStoreAsync(query, after, deadline.Token);
            await PumpAsync(stream, query, changes, after, bookmarks, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // The timeout, or the client went away: the stream simply ends.
        }
        catch (WatcherTooSlowException)
        {
            // The ring dropped changes this watcher had not read: it ends, and the client watches again from the last revision it saw.
        }
        catch (StoreCompactedException e)
        {
            await stream.WriteErrorAsync(StatusErrors.Expired($"too old resource version: {e.RequestedRevision} ({e.CompactedRevision})").Status).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            await stream.WriteErrorAsync(StatusErrors.Internal(e.Message).Status).ConfigureAwait(false);
        }
    }

    /// <summary>A watch the cache cannot serve (a revision older than its ring) reads the store's history itself.</summary>
    private async IAsyncEnumerable<CachedEvent> FromStoreAsync(ListQuery query, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in _store.WatchAsync(query.Prefix, after, cancellationToken).ConfigureAwait(false))
        {
            yield return new CachedEvent(query.Resource, change);
        }
    }

    private async Task PumpAsync(
        WatchStream stream, ListQuery query, IAsyncEnumerable<CachedEvent> changes, long after, bool bookmarks, CancellationToken cancellationToken)
    {
        var last = after;
        await using var events = changes.GetAsyncEnumerator(cancellationToken);
        var next = events.MoveNextAsync().AsTask();
        while (true)
        {
            if (bookmarks)
            {
                var tick = Task.Delay(_options.BookmarkInterval, _options.Time, cancellationToken);
                if (await Task.WhenAny(next, tick).ConfigureAwait(false) == tick)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    stream.WriteBookmark(query.Resource, last);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            if (!await next.ConfigureAwait(false))
            {
                return;
            }

            var e = events.Current;
            next = events.MoveNextAsync().AsTask();
            var change = e.Change;
            last = change.Revision;
            // The cache feeds every watch of the resource; this one may cover one namespace or one name.
            if (!change.Key.StartsWith(query.Prefix, StringComparison.Ordinal) || EventType(query, e) is not { } type)
            {
                continue;
            }

            stream.WriteEvent(type, e);
            // Events that are already waiting go out in the same flush, up to a bound: a replay
            // of history must not sit in the response pipe all at once.
            if (!next.IsCompleted || stream.Unflushed >= WatchStream.FlushBytes)
            {
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// What the change is to a watch with selectors, as Kubernetes answers it: an update that
    /// makes an object match is ADDED, one that makes it stop matching is DELETED (with the new
    /// state), and changes to objects outside the selection are not sent (null).
    /// </summary>
    private static string? EventType(ListQuery query, CachedEvent e)
    {
        var change = e.Change;
        if (query.SelectsAll)
        {
            return change.Type switch
            {
                StoreEventType.Created => WatchEventTypes.Added,
                StoreEventType.Updated => WatchEventTypes.Modified,
                _ => WatchEventTypes.Deleted,
            };
        }

        var matches = query.Matches(e.Decoded);
        if (change.Type != StoreEventType.Updated)
        {
            return !matches ? null : change.Type == StoreEventType.Created ? WatchEventTypes.Added : WatchEventTypes.Deleted;
        }

        var matched = e.Previous is { } previous && query.Matches(previous);
        return (matched, matches) switch
        {
            (true, true) => WatchEventTypes.Modified,
            (false, true) => WatchEventTypes.Added,
            (true, false) => WatchEventTypes.Deleted,
            _ => null,
        };
    }

    /// <summary>410 for a revision compacted away, 504 "Too large resource version" for one the store has not reached.</summary>
    private async Task ThrowIfCompactedAsync(ListQuery query, long revision, CancellationToken cancellationToken)
    {
        var current = await ResourceVersions.ThrowIfAheadAsync(_store, query.Prefix, revision, cancellationToken).ConfigureAwait(false);
        if (revision == current)
        {
            return;
        }

        try
        {
            await _store.ListAsync(query.Prefix, new StoreListOptions { Limit = 1, Revision = revision }, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreCompactedException e)
        {
            throw StatusErrors.Expired($"too old resource version: {revision} ({e.CompactedRevision})");
        }
    }
}
