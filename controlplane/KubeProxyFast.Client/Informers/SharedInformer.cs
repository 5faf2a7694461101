using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Client.Informers;

/// <summary>
/// One list+watch of <typeparamref name="T"/> (in a namespace, with selectors) into a local cache,
/// shared by every handler and lister of the process, as client-go's shared informer; made and
/// started by a <see cref="SharedInformerFactory"/>. An initial paged LIST, then a WATCH from its
/// resourceVersion; re-watch from the last seen version when a watch ends; relist (handlers get
/// the difference) when that version was compacted (410 Gone); bounded exponential backoff on
/// errors; an optional periodic resync.
/// <para>
/// Handlers (<see cref="AddEventHandler"/>) each have a dispatcher: calls in event order, one at a
/// time, never under the cache's lock, each with objects decoded for that call alone. A slow
/// handler delays nobody else: its notifications are buffered, up to
/// <see cref="SharedInformerOptions.HandlerBufferSize"/>; past that it is caught up with the
/// cache's difference once it has drained its buffer (it skips intermediate versions, never the
/// final state). Listers (<see cref="Lister"/>) return copies too.
/// </para>
/// </summary>
public sealed partial class SharedInformer<T> : ISharedInformer
    where T : KubeObject
{
    private readonly KubeClient _client;
    private readonly SharedInformerOptions _options;
    private readonly ILogger _logger;
    private readonly InformerCache<T> _cache;
    private readonly List<HandlerDispatcher<T>> _dispatchers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Serializes cache changes with the enqueueing of their notifications (watch loop, resync,
    // registration), so every handler sees changes in the cache's order. Never held by a handler.
    private readonly Lock _dispatch = new();
    private CancellationToken _running;
    private bool _started;

    internal SharedInformer(KubeClient client, string? ns, string? labelSelector, string? fieldSelector, SharedInformerOptions options)
    {
        _client = client;
        Namespace = ns;
        LabelSelector = labelSelector;
        FieldSelector = fieldSelector;
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _cache = new InformerCache<T>((index, key, e) => InformerLog.IndexFailed(_logger, typeof(T).Name, index, key, e));
        _cache.AddIndex(IndexNames.Namespace, o => [o.Metadata.Namespace ?? ""]);
        if (this is SharedInformer<Pod> pods)
        {
            pods._cache.AddIndex(IndexNames.NodeName, IndexNames.NodeNameOf);
        }

        Lister = new Lister<T>(_cache);
    }

    /// <summary>The namespace watched; null for all (and for cluster-scoped kinds).</summary>
    public string? Namespace { get; }

    /// <summary>The label selector, or null.</summary>
    public string? LabelSelector { get; }

    /// <summary>The field selector, or null.</summary>
    public string? FieldSelector { get; }

    /// <summary>Reads of the cache: every object returned is a copy of the caller's.</summary>
    public Lister<T> Lister { get; }

    /// <summary>True once the initial LIST is in the cache (and stays true).</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the next watch starts from: of the last list, event or bookmark.</summary>
    public string? LastSyncResourceVersion => Volatile.Read(ref _resourceVersion);

    /// <summary>Completes once <see cref="HasSynced"/> is true.</summary>
    public Task WaitForCacheSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Adds a handler, before or after the informer started: one added later first gets an add
    /// for every cached object. Dispose the result to remove it (a call in progress finishes).
    /// </summary>
    public IAsyncDisposable AddEventHandler(ResourceHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var dispatcher = new HandlerDispatcher<T>(handler, _cache, _dispatch, Math.Max(1, _options.HandlerBufferSize), _logger);
        lock (_dispatch)
        {
            _dispatchers.Add(dispatcher);
            var cached = _cache.List();
            if (cached.Length > 0)
            {
                dispatcher.Enqueue(Notification.Of(Array.ConvertAll(cached, Notification.Added)));
            }

            if (_started)
            {
                dispatcher.Start(_running);
            }
        }

        return new Registration(this, dispatcher);
    }

    /// <summary>
    /// Adds an index: <paramref name="values"/> computes the index values of an object (an object
    /// can be under several); <see cref="Api.Meta.KubeObject"/>s already cached are indexed now.
    /// An index function that throws leaves that object out of the index (logged).
    /// </summary>
    /// <exception cref="ArgumentException">An index of that name exists (<see cref="IndexNames"/> are built in).</exception>
    public void AddIndexer(string name, Func<T, IEnumerable<string>> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(values);
        _cache.AddIndex(name, values);
    }

    /// <inheritdoc/>
    async Task ISharedInformer.RunAsync(CancellationToken cancellationToken)
    {
        lock (_dispatch)
        {
            if (_started)
            {
                throw new InvalidOperationException("the informer is already running (an informer runs once)");
            }

            _started = true;
            _running = cancellationToken;
            foreach (var dispatcher in _dispatchers)
            {
                dispatcher.Start(cancellationToken);
            }
        }

        var resync = _options.ResyncPeriod > TimeSpan.Zero ? ResyncLoopAsync(cancellationToken) : Task.CompletedTask;
        await ListWatchLoopAsync(cancellationToken).ConfigureAwait(false);
        await resync.ConfigureAwait(false);
        HandlerDispatcher<T>[] dispatchers;
        lock (_dispatch)
        {
            dispatchers = [.. _dispatchers];
        }

        foreach (var dispatcher in dispatchers)
        {
            await dispatcher.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Enqueues <paramref name="notification"/> to every handler; under <see cref="_dispatch"/>.</summary>
    private void NotifyLocked(Notification notification)
    {
        foreach (var dispatcher in _dispatchers)
        {
            dispatcher.Enqueue(notification);
        }
    }

    private async ValueTask RemoveAsync(HandlerDispatcher<T> dispatcher)
    {
        lock (_dispatch)
        {
            if (!_dispatchers.Remove(dispatcher))
            {
                return;
            }
        }

        await dispatcher.StopAsync().ConfigureAwait(false);
    }

    private sealed class Registration(SharedInformer<T> informer, HandlerDispatcher<T> dispatcher) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => informer.RemoveAsync(dispatcher);
    }
}

/// <summary>What the factory needs of an informer of any kind.</summary>
internal interface ISharedInformer
{
    bool HasSynced { get; }

    Task WaitForCacheSyncAsync(CancellationToken cancellationToken);

    /// <summary>Lists, watches, resyncs and dispatches until cancelled, then stops every handler's dispatcher and returns.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
