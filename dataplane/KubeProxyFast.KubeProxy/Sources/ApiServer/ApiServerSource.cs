using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Config;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.KubeProxy.Sources.ApiServer;

/// <summary>
/// Services and Endpoints of every namespace from an apiserver, through one informer each (list,
/// then watch; re-watch from the last version, relist on 410 Gone, backoff while the apiserver is
/// away — the proxy keeps serving the last state meanwhile). Changes are tracked per service
/// (<see cref="ServiceChangeTracker"/>); a <see cref="Sync"/> applies them to the target. Unlike a
/// file, the apiserver is not all-or-nothing: an object that cannot be served is left out and
/// logged, the rest is served, and the apiserver's allocators keep addresses unique.
/// </summary>
public sealed partial class ApiServerSource : IProxySource
{
    private readonly ISnapshotTarget _target;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Informer<Service> _services;
    private readonly Informer<Endpoints> _endpoints;
    private readonly ServiceChangeTracker _tracker = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _syncLock = new();
    private Task? _informers;
    private Action? _changed;
    private ProxySnapshot _serving = ProxySnapshot.Empty;
    private volatile ConfigLoadStatus? _status;
    private long _attempts;
    private long _successes;
    private DateTimeOffset? _lastSuccess;
    private bool _retry;

    /// <summary>Creates the source; nothing is read until <see cref="StartAsync"/>.</summary>
    /// <param name="client">The apiserver's client (not disposed with the source).</param>
    /// <param name="target">What to apply snapshots to.</param>
    /// <param name="options">Backoff and watch settings; defaults when null.</param>
    /// <param name="loggerFactory">Where failures and changes are logged.</param>
    /// <param name="time">The clock of backoffs and status times.</param>
    public ApiServerSource(
        KubeClient client, ISnapshotTarget target, ApiServerSourceOptions? options = null,
        ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(target);
        options ??= new ApiServerSourceOptions();
        _target = target;
        _time = time ?? TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger("KubeProxyFast.KubeProxy.ApiServer");
        Description = client.BaseAddress.ToString();
        var informerOptions = options.Informer(loggerFactory.CreateLogger("KubeProxyFast.Client"), _time);
        _services = new Informer<Service>(client, informerOptions);
        _endpoints = new Informer<Endpoints>(client, informerOptions);
        _services.OnAdd(s => ServiceChanged(s, s));
        _services.OnUpdate((_, s) => ServiceChanged(s, s));
        _services.OnDelete(s => ServiceChanged(s, null));
        _endpoints.OnAdd(e => EndpointsChanged(e, e));
        _endpoints.OnUpdate((_, e) => EndpointsChanged(e, e));
        _endpoints.OnDelete(e => EndpointsChanged(e, null));
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
    /// Starts both informers and waits until each has listed once; the list and watch go on in
    /// the background, retrying with backoff, until <see cref="Dispose"/>. While the apiserver
    /// cannot be reached this waits (the informers log each failure), as kube-proxy waits for its
    /// caches to sync before it serves.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_informers is not null)
        {
            throw new InvalidOperationException("the source is already started");
        }

        _informers = Task.WhenAll(
            Task.Run(() => _services.RunAsync(_stop.Token), CancellationToken.None),
            Task.Run(() => _endpoints.RunAsync(_stop.Token), CancellationToken.None));
        await Task.WhenAll(_services.WaitForSyncAsync(cancellationToken), _endpoints.WaitForSyncAsync(cancellationToken)).ConfigureAwait(false);
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
            _attempts++;
            // A port the target could not serve (an address that cannot be bound) is tried again at the next periodic sync.
            _retry = applied.Failures.Count > 0;
            if (!_retry)
            {
                _successes++;
                _lastSuccess = _time.GetUtcNow();
            }

            _status = new ConfigLoadStatus
            {
                Time = _time.GetUtcNow(),
                Succeeded = !_retry,
                Message = _retry
                    ? string.Join('\n', applied.Failures.Select(f => $"service port {f.Id}: cannot serve: {f.Reason}"))
                    : $"serving {changes.Snapshot.Ports.Length} service ports of {changes.Services} services from {Description}",
                Attempts = _attempts,
                Successes = _successes,
                LastSuccess = _lastSuccess,
                ServicePorts = changes.Snapshot.Ports.Length,
            };
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

    /// <summary>Stops the informers; the target keeps serving what was applied (its owner disposes it).</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        try
        {
            _informers?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException e)
        {
            ApiServerLog.StopFailed(_logger, e.InnerException ?? e);
        }

        _stop.Dispose();
    }

    private void ServiceChanged(Service service, Service? now)
    {
        _tracker.ServiceChanged(ObjectKey.Of(service), now, _time.GetUtcNow());
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

        [LoggerMessage(405, LogLevel.Warning, "the informers did not stop cleanly")]
        public static partial void StopFailed(ILogger logger, Exception exception);
    }
}
