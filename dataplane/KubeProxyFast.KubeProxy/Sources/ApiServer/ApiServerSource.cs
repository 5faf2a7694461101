using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Config;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.KubeProxy.Sources.ApiServer;

/// <summary>
/// Services and Endpoints of every namespace from an apiserver, through the process's shared
/// informers (list, then watch; re-watch from the last version, relist on 410 Gone, backoff while
/// the apiserver is away — the proxy keeps serving the last state meanwhile). Handlers record which
/// service changed (<see cref="ServiceChangeTracker"/>); a <see cref="Sync"/> rebuilds those from
/// the informers' caches and applies the snapshot to the target. Unlike a file, the apiserver is
/// not all-or-nothing: an object that cannot be served is left out and logged, the rest is served,
/// and the apiserver's allocators keep addresses unique.
/// </summary>
public sealed partial class ApiServerSource : IProxySource
{
    private readonly ISnapshotTarget _target;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SharedInformer<Service> _services;
    private readonly SharedInformer<Endpoints> _endpoints;
    private readonly ServiceChangeTracker _tracker;
    private readonly Lock _syncLock = new();
    private readonly List<IAsyncDisposable> _registrations = [];
    private Action? _changed;
    private ProxySnapshot _serving = ProxySnapshot.Empty;
    private volatile ConfigLoadStatus? _status;
    private readonly LoadHistory _history = new();
    private bool _retry;
    private bool _disposed;
    // Adds up to these resourceVersions are the initial lists (or older), which StartAsync marks
    // from the caches. Until the lists are in, every add is.
    private long _servicesListed = long.MaxValue;
    private long _endpointsListed = long.MaxValue;

    /// <summary>Registers with the Services and Endpoints informers of <paramref name="informers"/>; nothing is served until <see cref="StartAsync"/> and <see cref="Sync"/>.</summary>
    /// <param name="informers">The process's informer factory (its owner starts and stops it).</param>
    /// <param name="target">What to apply snapshots to.</param>
    /// <param name="description">The apiserver, for logs (its URL).</param>
    /// <param name="loggerFactory">Where failures and changes are logged.</param>
    /// <param name="time">The clock of status times and receipts.</param>
    public ApiServerSource(
        SharedInformerFactory informers, ISnapshotTarget target, string description,
        ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(informers);
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        _time = time ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("KubeProxyFast.KubeProxy.ApiServer");
        Description = description;
        _services = informers.InformerFor<Service>();
        _endpoints = informers.InformerFor<Endpoints>();
        _tracker = new ServiceChangeTracker(k => _services.Lister.Get(k.Namespace, k.Name), k => _endpoints.Lister.Get(k.Namespace, k.Name));
        _registrations.Add(_services.AddEventHandler(new ResourceHandler<Service>
        {
            OnAdd = s =>
            {
                if (!IsListed(s, Volatile.Read(ref _servicesListed)))
                {
                    ServiceChanged(s);
                }
            },
            OnUpdate = (_, s) => ServiceChanged(s),
            OnDelete = ServiceChanged,
        }));
        _registrations.Add(_endpoints.AddEventHandler(new ResourceHandler<Endpoints>
        {
            OnAdd = e =>
            {
                if (!IsListed(e, Volatile.Read(ref _endpointsListed)))
                {
                    EndpointsChanged(e, e);
                }
            },
            OnUpdate = (_, e) => EndpointsChanged(e, e),
            OnDelete = e => EndpointsChanged(e, null),
        }));
    }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public ConfigLoadStatus? Status => _status;

    /// <inheritdoc/>
    public ProxySnapshot Serving
    {
        get
        {
            lock (_syncLock)
            {
                return _serving;
            }
        }
    }

    /// <summary>
    /// Waits until both informers have listed once (the factory's owner has started it), and
    /// marks every listed service for the first <see cref="Sync"/>. While the apiserver cannot be
    /// reached this waits (the informers log each failure), as kube-proxy waits for its caches to
    /// sync before it serves.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_services.WaitForCacheSyncAsync(cancellationToken), _endpoints.WaitForCacheSyncAsync(cancellationToken)).ConfigureAwait(false);
        Volatile.Write(ref _servicesListed, Version(_services.LastSyncResourceVersion));
        Volatile.Write(ref _endpointsListed, Version(_endpoints.LastSyncResourceVersion));
        // The handlers get the list too, but on their own time: the first sync must not serve half of it.
        _tracker.Seed(_services.Lister.List().Select(ObjectKey.Of));
    }

    /// <inheritdoc/>
    public void StartWatching(Action changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        Volatile.Write(ref _changed, changed);
        // Changes that arrived between the first sync and now are not lost: ask for a sync.
        changed();
    }

    /// <inheritdoc/>
    public IReadOnlyList<DateTimeOffset> Sync()
    {
        lock (_syncLock)
        {
            if (!_tracker.HasChanges && !_retry && _status is not null)
            {
                return [];
            }

            var first = _status is null;
            var changes = _tracker.TakeChanges();
            foreach (var error in changes.Errors)
            {
                ApiServerLog.ObjectSkipped(_logger, error.Message);
            }

            foreach (var warning in changes.Warnings)
            {
                ApiServerLog.Warning(_logger, warning.Message);
            }

            var applied = _target.Apply(changes.Snapshot);
            var previous = _serving;
            _serving = changes.Snapshot;
            LogChanges(previous, changes.Snapshot, applied);
            // A port the target could not serve (an address that cannot be bound) is tried again at the next periodic sync.
            _retry = applied.Failures.Count > 0;
            _status = _history.Record(
                _time.GetUtcNow(),
                !_retry,
                _retry
                    ? string.Join('\n', applied.Failures.Select(f => $"service port {f.Id}: cannot serve: {f.Reason}"))
                    : $"serving {changes.Snapshot.Ports.Length} service ports of {changes.Services} services from {Description}",
                changes.Snapshot.Ports.Length);
            if (first)
            {
                ReleaseListGarbage();
            }

            return changes.ChangeTimes;
        }
    }

    /// <summary>
    /// The first sync follows the initial LISTs: their pages and the decoding's buffers (tens of
    /// MB for 10,000 Services and Endpoints) are garbage now, but the proxy's hot path allocates
    /// nothing, so no collection would come to hand that memory back. Collect once, compacting.
    /// </summary>
    private static void ReleaseListGarbage() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>Removes the handlers (the informers are the factory's); the target keeps serving what was applied (its owner disposes it).</summary>
    public void Dispose()
    {
        lock (_syncLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        foreach (var registration in _registrations)
        {
            registration.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Whether an add is of the initial list — nothing to do, <see cref="StartAsync"/> marks every
    /// listed service from the cache, which is at least as new; rebuilding 10,000 services again
    /// as their adds trickle in would cost a second first sync — rather than of an object created since.
    /// </summary>
    private static bool IsListed(KubeObject obj, long listed) => Version(obj.Metadata.ResourceVersion) <= listed;

    /// <summary>A resourceVersion as the number it is here (etcd's revision); an unreadable one counts as new.</summary>
    private static long Version(string? resourceVersion) =>
        long.TryParse(resourceVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : long.MaxValue;

    private void ServiceChanged(Service service)
    {
        _tracker.ServiceChanged(ObjectKey.Of(service), _time.GetUtcNow());
        Volatile.Read(ref _changed)?.Invoke();
    }

    private void EndpointsChanged(Endpoints endpoints, Endpoints? now)
    {
        _tracker.EndpointsChanged(ObjectKey.Of(endpoints), now, _time.GetUtcNow());
        Volatile.Read(ref _changed)?.Invoke();
    }

    private void LogChanges(ProxySnapshot previous, ProxySnapshot current, Dataplane.Proxier.ApplyResult applied)
    {
        if (!_logger.IsEnabled(LogLevel.Debug) && applied.Failures.Count == 0)
        {
            return;
        }

        var failed = applied.Failures.Select(f => f.Id).ToHashSet();
        var diff = SnapshotDiff.Compute(previous, current);
        foreach (var spec in diff.Added.Concat(diff.Changed.Select(c => c.New)))
        {
            if (!failed.Contains(spec.Id))
            {
                ApiServerLog.Serving(_logger, spec.Id.ToString(), spec.Protocol == L4Protocol.Udp ? "UDP" : "TCP",
                    string.Join(", ", _target.Describe(spec)), spec.Endpoints.Length);
            }
        }

        foreach (var spec in diff.Removed)
        {
            ApiServerLog.Removed(_logger, spec.Id.ToString());
        }

        foreach (var failure in applied.Failures)
        {
            ApiServerLog.CannotServe(_logger, failure.Id.ToString(), failure.Reason);
        }
    }

    private static partial class ApiServerLog
    {
        [LoggerMessage(400, LogLevel.Debug, "{ServicePort} ({Protocol}) on {Addresses}; {Endpoints} ready endpoints")]
        public static partial void Serving(ILogger logger, string servicePort, string protocol, string addresses, int endpoints);

        [LoggerMessage(401, LogLevel.Debug, "{ServicePort} removed; its open connections drain")]
        public static partial void Removed(ILogger logger, string servicePort);

        [LoggerMessage(402, LogLevel.Error, "{ServicePort}: cannot serve it, tried again at the next sync: {Reason}")]
        public static partial void CannotServe(ILogger logger, string servicePort, string reason);

        [LoggerMessage(403, LogLevel.Error, "{Message}; it is not served, the other services are")]
        public static partial void ObjectSkipped(ILogger logger, string message);

        [LoggerMessage(404, LogLevel.Warning, "{Message}")]
        public static partial void Warning(ILogger logger, string message);

    }
}
