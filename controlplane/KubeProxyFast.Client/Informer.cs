using KubeProxyFast.Api.Meta;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Client;

/// <summary>
/// List+watch of one kind into a local, thread-safe cache, as client-go's shared informer: an
/// initial paged LIST, then a WATCH from its resourceVersion; re-watch from the last seen version
/// when a watch ends; relist (delivering the difference as adds, updates and deletes) when that
/// version was compacted; bounded exponential backoff on errors; periodic resync.
/// <para>
/// Handlers are plain callbacks registered before <see cref="RunAsync"/>. They run one at a time,
/// in event order, on the informer's loop, so they must be quick (enqueue work, do not do it) and
/// must not change the objects they are given (those are the cached objects). A handler that
/// throws is logged and does not stop the informer.
/// </para>
/// </summary>
public sealed partial class Informer<T>
    where T : KubeObject
{
    private readonly KubeClient _client;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly InformerCache<T> _cache = new();
    private readonly List<Action<T>> _onAdd = [];
    private readonly List<Action<T, T>> _onUpdate = [];
    private readonly List<Action<T>> _onDelete = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Serializes cache changes with their handler calls, for the watch loop and the resync timer.
    private readonly Lock _dispatch = new();
    private int _started;

    /// <summary>An informer of <typeparamref name="T"/> through <paramref name="client"/>.</summary>
    public Informer(KubeClient client, InformerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options ?? new InformerOptions();
        _logger = _options.Logger ?? NullLogger.Instance;
    }

    /// <summary>True once the initial LIST is in the cache (and stays true).</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the next watch starts from: of the last list, event or bookmark.</summary>
    public string? LastResourceVersion => Volatile.Read(ref _resourceVersion);

    /// <summary>Called for an object that appeared (in a list or as ADDED).</summary>
    public void OnAdd(Action<T> handler) => Register(_onAdd, handler);

    /// <summary>Called with (old, new) for a changed object, and with (cached, cached) on every resync.</summary>
    public void OnUpdate(Action<T, T> handler) => Register(_onUpdate, handler);

    /// <summary>Called with the last state of a deleted object (as the watch or a relist found it gone).</summary>
    public void OnDelete(Action<T> handler) => Register(_onDelete, handler);

    /// <summary>Adds an index: <paramref name="values"/> computes the index values of an object (e.g. its <c>spec.nodeName</c>).</summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(values);
        _cache.AddIndex(name, values);
    }

    /// <summary>The cached objects whose index <paramref name="name"/> has <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">No index has that name.</exception>
    public IReadOnlyList<T> ByIndex(string name, string value) => _cache.ByIndex(name, value);

    /// <summary>The cached object, or null; <paramref name="ns"/> is null for cluster-scoped kinds.</summary>
    public T? Get(string? ns, string name) => _cache.Get(InformerCache<T>.Key(ns, name));

    /// <summary>A snapshot of every cached object.</summary>
    public IReadOnlyList<T> List() => _cache.List();

    /// <summary>Completes once <see cref="HasSynced"/> is true.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    private void Register<THandler>(List<THandler> handlers, THandler handler)
        where THandler : Delegate
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Volatile.Read(ref _started) != 0)
        {
            throw new InvalidOperationException("handlers must be registered before RunAsync");
        }

        handlers.Add(handler);
    }

    private void NotifyAdd(T obj)
    {
        foreach (var handler in _onAdd)
        {
            Invoke(handler, obj, obj, static (h, _, n) => h(n));
        }
    }

    private void NotifyUpdate(T old, T obj)
    {
        foreach (var handler in _onUpdate)
        {
            Invoke(handler, old, obj, static (h, o, n) => h(o, n));
        }
    }

    private void NotifyDelete(T obj)
    {
        foreach (var handler in _onDelete)
        {
            Invoke(handler, obj, obj, static (h, _, n) => h(n));
        }
    }

    private void Invoke<THandler>(THandler handler, T old, T obj, Action<THandler, T, T> call)
    {
        try
        {
            call(handler, old, obj);
        }
#pragma warning disable CA1031 // a handler's bug must not stop the informer that every other handler depends on
        catch (Exception e)
#pragma warning restore CA1031
        {
            InformerLog.HandlerFailed(_logger, typeof(T).Name, InformerCache<T>.KeyOf(obj), e);
        }
    }
}
