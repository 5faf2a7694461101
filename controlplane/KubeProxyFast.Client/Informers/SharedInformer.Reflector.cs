using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client.Informers;

public sealed partial class SharedInformer<T>
{
    private string? _resourceVersion;

    private async Task ListWatchLoopAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options.MinBackoff, _options.MaxBackoff);
        while (!cancellationToken.IsCancellationRequested)
        {
            var listing = _resourceVersion is null;
            try
            {
                if (listing)
                {
                    await RelistAsync(cancellationToken).ConfigureAwait(false);
                }

                await WatchAsync(cancellationToken).ConfigureAwait(false);
                // The watch was established and ended as the server's timeout ends it: healthy.
                backoff.Reset();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.IsGone && !listing)
            {
                // The history after our version was compacted while we were away: only a list can tell what changed.
                InformerLog.Relisting(_logger, typeof(T).Name, _resourceVersion);
                Volatile.Write(ref _resourceVersion, null);
            }
            catch (Exception e) when (e is KubeApiException or KubeConnectionException or KubeDecodeException)
            {
                var delay = backoff.Next();
                InformerLog.Failed(_logger, typeof(T).Name, delay, e);
                if (!await DelayAsync(delay, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    /// <summary>A full LIST in pages, applied to the cache as the difference to what it held.</summary>
    private async Task RelistAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? next = null;
        string? version;
        do
        {
            var page = await _client.ListAsync<T>(Namespace, new ListOptions
            {
                LabelSelector = LabelSelector,
                FieldSelector = FieldSelector,
                Limit = _options.PageSize,
                Continue = next,
            }, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            next = page.Metadata.Continue;
            version = page.Metadata.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(next));

        // Encoded before taking the lock: the lock covers dictionary work only.
        var entries = items.ConvertAll(InformerCache<T>.Entry);
        lock (_dispatch)
        {
            var changes = Replace(items, entries);
            if (changes.Count > 0)
            {
                NotifyLocked(Notification.Of([.. changes]));
            }
        }

        Volatile.Write(ref _resourceVersion, version);
        _synced.TrySetResult();
    }

    /// <summary>Makes the cache hold exactly <paramref name="entries"/>; returns the changes: adds and updates in list order, then deletes.</summary>
    private List<Notification> Replace(List<T> items, List<CachedObject> entries)
    {
        var changes = new List<Notification>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var entry = entries[i];
            present.Add(entry.Key);
            var old = _cache.Get(entry.Key);
            if (old is not null && old.ResourceVersion == entry.ResourceVersion)
            {
                // Unchanged: the cached entry stays (a caught-up handler compares entries by reference).
                continue;
            }

            _cache.Upsert(items[i], entry);
            changes.Add(old is null ? Notification.Added(entry) : Notification.Updated(old, entry));
        }

        foreach (var cached in _cache.List())
        {
            if (!present.Contains(cached.Key) && _cache.Remove(cached.Key) is { } gone)
            {
                changes.Add(Notification.Deleted(gone));
            }
        }

        return changes;
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var options = new WatchOptions
        {
            ResourceVersion = _resourceVersion,
            LabelSelector = LabelSelector,
            FieldSelector = FieldSelector,
            TimeoutSeconds = WatchTimeoutSeconds(),
            AllowWatchBookmarks = true,
        };
        await foreach (var e in _client.WatchAsync<T>(Namespace, options, cancellationToken).ConfigureAwait(false))
        {
            if (e.Type != WatchEventTypes.Bookmark)
            {
                Apply(e);
            }

            if (e.Object.Metadata.ResourceVersion is { Length: > 0 } version)
            {
                Volatile.Write(ref _resourceVersion, version);
            }
        }
    }

    private void Apply(KubeWatchEvent<T> e)
    {
        var entry = InformerCache<T>.Entry(e.Object);
        lock (_dispatch)
        {
            if (e.Type == WatchEventTypes.Deleted)
            {
                // The event carries the final state; a delete of an object never seen tells handlers nothing.
                if (_cache.Remove(entry.Key) is not null)
                {
                    NotifyLocked(Notification.Deleted(entry));
                }

                return;
            }

            var old = _cache.Upsert(e.Object, entry);
            NotifyLocked(old is null ? Notification.Added(entry) : Notification.Updated(old, entry));
        }
    }

    private int WatchTimeoutSeconds()
    {
        if (_options.WatchTimeout is { } timeout)
        {
            return Math.Max(1, (int)timeout.TotalSeconds);
        }

#pragma warning disable CA5394 // spreading re-watches, not security
        return 300 + Random.Shared.Next(300);
#pragma warning restore CA5394
    }

    /// <summary>Every period, an update (old == new) of every cached object to every handler, as one notification each.</summary>
    private async Task ResyncLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ResyncPeriod, _options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!HasSynced)
                {
                    continue;
                }

                lock (_dispatch)
                {
                    var cached = _cache.List();
                    if (cached.Length > 0)
                    {
                        NotifyLocked(Notification.Of(Array.ConvertAll(cached, o => Notification.Updated(o, o))));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>Waits <paramref name="delay"/>; false when cancelled first.</summary>
    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _options.Time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
