using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Client.Informers;

/// <summary>
/// Hands out <see cref="SharedInformer{T}"/>s: one list+watch per kind, namespace, label selector
/// and field selector, shared by everyone who asks for it (make one factory per process and pass
/// it around). <see cref="Start"/> starts every informer asked for so far, and those asked for
/// later as they are; <see cref="StopAsync"/> stops them all and waits for their handlers' calls
/// in progress to return.
/// </summary>
public sealed class SharedInformerFactory : IAsyncDisposable
{
    private readonly KubeClient _client;
    private readonly SharedInformerOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<(Type Kind, string? Namespace, string? Labels, string? Fields), ISharedInformer> _informers = [];
    private readonly List<Task> _running = [];
    private CancellationTokenSource? _stop;

    /// <summary>A factory of informers that list and watch through <paramref name="client"/>.</summary>
    public SharedInformerFactory(KubeClient client, SharedInformerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options ?? new SharedInformerOptions();
    }

    /// <summary>
    /// The informer of <typeparamref name="T"/> in <paramref name="ns"/> (null: all namespaces;
    /// ignored for cluster-scoped kinds) with the selectors; the same instance for the same
    /// arguments. Started at once when the factory is.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not a kind the client lists.</exception>
    public SharedInformer<T> InformerFor<T>(string? ns = null, string? labelSelector = null, string? fieldSelector = null)
        where T : KubeObject
    {
        var paths = ResourcePaths.For<T>();
        if (paths.ListType is null)
        {
            throw new ArgumentException($"{paths.Kind.Kind} cannot be listed, so it cannot be watched by an informer");
        }

        var key = (typeof(T), paths.Kind.Namespaced ? NullIfEmpty(ns) : null, NullIfEmpty(labelSelector), NullIfEmpty(fieldSelector));
        lock (_lock)
        {
            if (_informers.TryGetValue(key, out var existing))
            {
                return (SharedInformer<T>)existing;
            }

            var informer = new SharedInformer<T>(_client, key.Item2, key.Item3, key.Item4, _options);
            _informers.Add(key, informer);
            if (_stop is not null)
            {
                _running.Add(((ISharedInformer)informer).RunAsync(_stop.Token));
            }

            return informer;
        }
    }

    /// <summary>Starts every informer asked for (later ones start when asked for); returns at once. Stopped by <see cref="StopAsync"/> or <paramref name="cancellationToken"/>.</summary>
    /// <exception cref="InvalidOperationException">The factory was already started.</exception>
    public void Start(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_stop is not null)
            {
                throw new InvalidOperationException("the factory was already started");
            }

            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            foreach (var informer in _informers.Values)
            {
                _running.Add(informer.RunAsync(_stop.Token));
            }
        }
    }

    /// <summary>Completes when every informer asked for so far has its initial list in its cache.</summary>
    public Task WaitForCacheSyncAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.WhenAll(_informers.Values.Select(i => i.WaitForCacheSyncAsync(cancellationToken)));
        }
    }

    /// <summary>Stops every informer and waits until their watches have ended and their handlers' calls in progress have returned.</summary>
    public async Task StopAsync()
    {
        Task[] running;
        CancellationTokenSource? stop;
        lock (_lock)
        {
            stop = _stop;
            running = [.. _running];
        }

        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <summary>As <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        lock (_lock)
        {
            _stop?.Dispose();
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
