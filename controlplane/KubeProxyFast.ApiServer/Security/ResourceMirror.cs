using System.Collections.Concurrent;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Watch;
using KubeProxyFast.Storage;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Security;

/// <summary>
/// What the apiserver's own authorizers and authenticators read on every request (RBAC objects,
/// the pods that bind secrets to nodes, bootstrap-token Secrets): one resource's objects in
/// memory, listed from the store and kept current by the resource's watch cache (or a store watch
/// when the cache does not reach back), as Kubernetes' in-process informers. A failed watch
/// relists after a second; the handler is told each change in order, and after every (re)list the
/// whole set. Objects are shared: read, never changed.
/// </summary>
internal sealed partial class ResourceMirror : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly ResourceDefinition _resource;
    private readonly IStore _store;
    private readonly WatchCaches _caches;
    private readonly ILogger _logger;
    private readonly IMirrorHandler? _handler;
    private readonly ConcurrentDictionary<string, KubeObject> _objects = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    /// <param name="resource">The resource mirrored.</param>
    /// <param name="store">Where it is listed from (the apiserver's store, decrypting).</param>
    /// <param name="caches">The watch caches whose changes keep it current.</param>
    /// <param name="logger">For relists after failures.</param>
    /// <param name="handler">Told every change, in order, from the mirror's one loop; null for none.</param>
    public ResourceMirror(ResourceDefinition resource, IStore store, WatchCaches caches, ILogger logger, IMirrorHandler? handler = null)
    {
        _resource = resource;
        _store = store;
        _caches = caches;
        _logger = logger;
        _handler = handler;
    }

    /// <summary>True once the first list has been loaded.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The objects now held.</summary>
    public ICollection<KubeObject> Items => _objects.Values;

    /// <summary>The object <paramref name="ns"/>/<paramref name="name"/> (ns ignored for cluster-scoped resources), or null.</summary>
    public KubeObject? Get(string? ns, string name) => _objects.TryGetValue(_resource.Key(ns, name), out var obj) ? obj : null;

    /// <summary>Starts listing and watching.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Completes once the first list has been loaded.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <inheritdoc/>
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

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var revision = await ListAsync(cancellationToken).ConfigureAwait(false);
                await WatchAsync(revision, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRelist(_logger, _resource.QualifiedName, e.Message);
            }

            await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<long> ListAsync(CancellationToken cancellationToken)
    {
        var fresh = new Dictionary<string, KubeObject>(StringComparer.Ordinal);
        long revision = 0;
        string? after = null;
        while (true)
        {
            var page = await _store.ListAsync(_resource.KeyPrefix, new StoreListOptions { Limit = 1000, StartAfter = after, Revision = revision }, cancellationToken)
                .ConfigureAwait(false);
            revision = page.Revision;
            foreach (var value in page.Items)
            {
                fresh[value.Key] = ObjectCodec.Decode(_resource, value);
            }

            if (page.Remaining == 0 || page.Items.Count == 0)
            {
                break;
            }

            after = page.Items[^1].Key;
        }

        foreach (var key in _objects.Keys)
        {
            if (!fresh.ContainsKey(key))
            {
                _objects.TryRemove(key, out _);
            }
        }

        foreach (var (key, obj) in fresh)
        {
            _objects[key] = obj;
        }

        _handler?.Reset([.. fresh.Values]);
        _synced.TrySetResult();
        return revision;
    }

    private async Task WatchAsync(long revision, CancellationToken cancellationToken)
    {
        if (_caches.For(_resource).TryWatch(revision) is { } subscription)
        {
            await foreach (var change in subscription.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Apply(change.Change.Type, change.Change.Key, change.Decoded);
            }

            return;
        }

        await foreach (var change in _store.WatchAsync(_resource.KeyPrefix, revision, cancellationToken).ConfigureAwait(false))
        {
            Apply(change.Type, change.Key, ObjectCodec.Decode(_resource, change.Value, change.Revision));
        }
    }

    private void Apply(StoreEventType type, string key, KubeObject obj)
    {
        if (type == StoreEventType.Deleted)
        {
            _objects.TryRemove(key, out var old);
            _handler?.Changed(old ?? obj, null);
            return;
        }

        _objects.TryGetValue(key, out var previous);
        _objects[key] = obj;
        _handler?.Changed(previous, obj);
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "the in-memory copy of {Resource} relists: {Error}")]
    private static partial void LogRelist(ILogger logger, string resource, string error);
}

/// <summary>What a <see cref="ResourceMirror"/> tells its user, always from one loop, in order.</summary>
internal interface IMirrorHandler
{
    /// <summary>After a (re)list: every object now held.</summary>
    void Reset(IReadOnlyCollection<KubeObject> all);

    /// <summary>One change: created (<paramref name="old"/> null), updated, or deleted (<paramref name="current"/> null).</summary>
    void Changed(KubeObject? old, KubeObject? current);
}
