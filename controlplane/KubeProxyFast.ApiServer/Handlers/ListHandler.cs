using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Selection;
using KubeProxyFast.ApiServer.Watch;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>
/// LIST: selected objects in key order, at one store revision, paged by <c>limit</c> and
/// <c>continue</c>. Without selectors the stored bytes go out as they are, with only the
/// resourceVersion spliced in, so a large list costs no decode.
/// </summary>
internal sealed class ListHandler
{
    // With selectors a page is filled from store reads of this size, as Kubernetes fills a limited list.
    private const int SelectionBatch = 500;

    private readonly IStore _store;
    private readonly WatchCaches _caches;

    public ListHandler(IStore store, WatchCaches caches)
    {
        _store = store;
        _caches = caches;
    }

    public async Task ListAsync(ApiContext context)
    {
        var query = ListQuery.Parse(context);
        // A negative limit is no limit, as Kubernetes reads it (only a positive one pages).
        var limit = (int)Math.Clamp(context.Integer("limit") ?? 0, 0, int.MaxValue);
        long revision = 0;
        string? startAfter = null;
        if (context.Query("continue") is { } token)
        {
            (revision, startAfter) = ContinueToken.Decode(token, query.Prefix);
        }
        else if (query.Version is { Exact: true, Revision: { } exact })
        {
            await ResourceVersions.ThrowIfAheadAsync(_store, query.Prefix, exact, context.Aborted).ConfigureAwait(false);
            revision = exact;
        }

        var page = await ReadPageAsync(query, limit, revision, startAfter, context.Aborted).ConfigureAwait(false);

        if (query.Version.Revision is { } atLeast && atLeast > page.Revision)
        {
            // "Not older than" a revision the store has not reached: Kubernetes' answer, so clients retry.
            throw StatusErrors.TooLargeResourceVersion(atLeast, page.Revision);
        }

        await ObjectResponse.WriteListAsync(context, query.Resource, page, _caches.For(query.Resource).Objects).ConfigureAwait(false);
    }

    /// <summary>Reads one page; 410 when a continued list's revision was compacted.</summary>
    public async Task<ListPage> ReadPageAsync(ListQuery query, int limit, long revision, string? startAfter, CancellationToken cancellationToken)
    {
        var items = new List<ListItem>();
        var objects = _caches.For(query.Resource).Objects;
        var batch = query.SelectsAll ? limit : Math.Max(limit, SelectionBatch);
        var position = startAfter;
        long readRevision = revision;
        long remaining;
        while (true)
        {
            StoreList list;
            try
            {
                list = await _store.ListAsync(query.Prefix, new StoreListOptions { Limit = batch, StartAfter = position, Revision = readRevision }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (StoreCompactedException) when (startAfter is not null)
            {
                throw StatusErrors.Expired(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            }

            readRevision = list.Revision;
            remaining = list.Remaining;
            foreach (var value in list.Items)
            {
                position = value.Key;
                if (query.SelectsAll)
                {
                    items.Add(new ListItem(value, null));
                    continue;
                }

                var obj = objects.Get(value, list.Revision);
                if (query.Matches(obj))
                {
                    items.Add(new ListItem(value, obj));
                    if (limit > 0 && items.Count == limit)
                    {
                        break;
                    }
                }
            }

            var full = limit > 0 && items.Count == limit;
            if (remaining == 0 || full || list.Items.Count == 0)
            {
                // More remain when the store said so, or when the page filled before the store batch ended.
                var more = remaining > 0 || (full && position != list.Items[^1].Key);
                var next = more && limit > 0 ? ContinueToken.Encode(readRevision, position!, query.Prefix) : null;
                long? count = query.SelectsAll && more ? remaining : null;
                return new ListPage(items, readRevision, next, count);
            }
        }
    }
}

/// <summary>One listed object: its stored value, and the decoded (shared, read-only) object when selection needed it.</summary>
internal readonly record struct ListItem(StoreValue Value, KubeObject? Decoded);

/// <summary>A page of a list.</summary>
internal sealed record ListPage(IReadOnlyList<ListItem> Items, long Revision, string? Continue, long? RemainingItemCount);
