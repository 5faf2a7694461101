using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client;

public sealed partial class Informer<T>
{
    private string? _resourceVersion;

    /// <summary>
    /// Lists, watches and resyncs until <paramref name="cancellationToken"/> is cancelled, then
    /// returns (without throwing). An informer runs once.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("the informer is already running (an informer runs once)");
        }

        var resync = _options.ResyncPeriod > TimeSpan.Zero ? ResyncLoopAsync(cancellationToken) : Task.CompletedTask;
        await ListWatchLoopAsync(cancellationToken).ConfigureAwait(false);
        await resync.ConfigureAwait(false);
    }

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
            var page = await _client.ListAsync<T>(_options.Namespace, new ListOptions
            {
                LabelSelector = _options.LabelSelector,
                FieldSelector = _options.FieldSelector,
                Limit = _options.PageSize,
                Continue = next,
            }, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            next = page.Metadata.Continue;
            version = page.Metadata.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(next));

        lock (_dispatch)
        {
            Replace(items);
        }

        Volatile.Write(ref _resourceVersion, version);
        _synced.TrySetResult();
    }

    private void Replace(List<T> items)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in items)
        {
            present.Add(InformerCache<T>.KeyOf(obj));
            var old = _cache.Upsert(obj);
            if (old is null)
            {
                NotifyAdd(obj);
            }
            else if (old.Metadata.ResourceVersion != obj.Metadata.ResourceVersion)
            {
                NotifyUpdate(old, obj);
            }
        }

        foreach (var key in _cache.Keys())
        {
            if (!present.Contains(key) && _cache.Remove(key) is { } gone)
            {
                NotifyDelete(gone);
            }
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var options = new WatchOptions
        {
            ResourceVersion = _resourceVersion,
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            TimeoutSeconds = WatchTimeoutSeconds(),
            AllowWatchBookmarks = true,
        };
        await foreach (var e in _client.WatchAsync<T>(_options.Namespace, options, cancellationToken).ConfigureAwait(false))
        {
            if (e.Type != WatchEventTypes.Bookmark)
            {
                lock (_dispatch)
                {
                    Apply(e);
                }
            }

            if (e.Object.Metadata.ResourceVersion is { Length: > 0 } version)
            {
                Volatile.Write(ref _resourceVersion, version);
            }
        }
    }

    private void Apply(KubeWatchEvent<T> e)
    {
        if (e.Type == WatchEventTypes.Deleted)
        {
            // The event carries the final state; a delete of an object never seen still tells handlers nothing new.
            if (_cache.Remove(InformerCache<T>.KeyOf(e.Object)) is not null)
            {
                NotifyDelete(e.Object);
            }

            return;
        }

        var old = _cache.Upsert(e.Object);
        if (old is null)
        {
            NotifyAdd(e.Object);
        }
        else
        {
            NotifyUpdate(old, e.Object);
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
                    foreach (var obj in _cache.List())
                    {
                        NotifyUpdate(obj, obj);
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
