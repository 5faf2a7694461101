using KubeProxyFast.Client.Runner;
using KubeProxyFast.Dataplane.Netfilter.Sync;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Netlink;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.KubeProxy.Netfilter;

/// <summary>
/// Owns a <see cref="NetfilterSyncer"/> and runs it on a <see cref="BoundedFrequencyRunner"/>, as
/// kube-proxy's runner owns its proxier: <see cref="Update"/> hands over the latest snapshot (an
/// older one not yet synced is dropped, the rules are level-based), syncs start at least
/// <see cref="NetfilterSyncLoopOptions.MinSyncPeriod"/> apart, a failed sync is retried as a full
/// one after <see cref="NetfilterSyncLoopOptions.RetryDelay"/>, and a run with nothing handed
/// over — the runner's periodic one, every <see cref="NetfilterSyncLoopOptions.SyncPeriod"/> —
/// reads the table back and repairs it. On dispose the table is deleted unless told to keep it.
/// The rules go to the network namespace of the thread that creates the loop: the netlink
/// sockets are opened in the constructor, and a socket stays in its namespace whichever thread
/// uses it.
/// </summary>
public sealed partial class NetfilterSyncLoop : IDisposable
{
    private readonly NetfilterSyncLoopOptions _options;
    private readonly ILogger _logger;
    private readonly NetfilterSyncer _syncer;
    private readonly BoundedFrequencyRunner _runner;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly Task _loop;
    private volatile IReadOnlyDictionary<ServicePortId, int> _proxyPorts = new Dictionary<ServicePortId, int>();
    private ProxySnapshot? _pending;
    // Completed when a run has tried the pending snapshot (or a newer one): what Program waits for.
    private TaskCompletionSource _pendingTried = NewTried();
    private bool _disposed;
    private long _syncs;
    private long _failures;
    private volatile SyncResult? _last;
    private volatile string? _lastError;

    /// <summary>Starts the loop; throws <see cref="InvalidOperationException"/> when netlink cannot be opened (e.g. not root), naming the cause.</summary>
    /// <param name="options">Mode and timing.</param>
    /// <param name="loggerFactory">Where syncs and failures are logged.</param>
    /// <param name="time">The clock of the runner (tests may pass a fake one).</param>
    public NetfilterSyncLoop(NetfilterSyncLoopOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("KubeProxyFast.Dataplane.Netfilter");
        try
        {
            _syncer = options.Mode == NetfilterMode.Kernel
                ? NetfilterSyncer.ForKernelMode()
                : NetfilterSyncer.ForUserspaceMode(id => _proxyPorts.TryGetValue(id, out var port) ? port : null);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"netfilter: cannot open netlink (root or CAP_NET_ADMIN is needed): {e.Message}", e);
        }

        var maxInterval = options.SyncPeriod > options.MinSyncPeriod ? options.SyncPeriod : options.MinSyncPeriod;
        _runner = new BoundedFrequencyRunner("netfilter-sync", RunAsync, options.MinSyncPeriod, maxInterval, burst: 2, time, _logger);
        _loop = _runner.LoopAsync(_stop.Token);
    }

    /// <summary>Syncs that succeeded.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Syncs the kernel (or the snapshot check) refused.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The last successful sync, or null.</summary>
    public SyncResult? LastSync => _last;

    /// <summary>Why the last sync failed, or null when it succeeded.</summary>
    public string? LastError => _lastError;

    /// <summary>
    /// Hands over the snapshot to program; in userspace mode <paramref name="proxyPorts"/> says
    /// where the proxy listens for each service port. Returns at once.
    /// </summary>
    public void Update(ProxySnapshot snapshot, IReadOnlyDictionary<ServicePortId, int>? proxyPorts = null) => Hand(snapshot, proxyPorts);

    /// <summary>
    /// Hands over the snapshot as <see cref="Update"/> does, then waits (at most
    /// <paramref name="timeout"/>) until a sync has tried it or a newer one: the caller's change is
    /// in the kernel when this returns true and <see cref="LastError"/> is null. The pipeline calls
    /// this, so that a change counts as applied when its rules are, as kube-proxy's sync includes
    /// writing them.
    /// </summary>
    public bool Program(ProxySnapshot snapshot, IReadOnlyDictionary<ServicePortId, int>? proxyPorts, TimeSpan timeout) =>
        Hand(snapshot, proxyPorts).Wait(timeout);

    private Task Hand(ProxySnapshot snapshot, IReadOnlyDictionary<ServicePortId, int>? proxyPorts)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Task tried;
        lock (_lock)
        {
            _pending = snapshot;
            tried = _pendingTried.Task;
            if (proxyPorts is not null)
            {
                _proxyPorts = proxyPorts;
            }
        }

        _runner.Run();
        return tried;
    }

    /// <summary>
    /// Waits (bounded) until nothing handed over is left to sync — programmed, or refused as
    /// inexpressible; a snapshot the kernel refused stays to be retried. True when idle.
    /// </summary>
    public bool WaitIdle(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            _runner.WaitIdleAsync(deadline.Token).GetAwaiter().GetResult();
            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Stops the loop (a sync in progress finishes) and, unless told to keep them, deletes the rules.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _stop.Cancel();
        _loop.GetAwaiter().GetResult();
        _stop.Dispose();
        lock (_lock)
        {
            // Nobody waits past the end.
            _pendingTried.TrySetResult();
        }

        using (_syncer)
        {
            if (!_options.KeepRulesOnExit)
            {
                DeleteTable();
            }
        }
    }

    private Task RunAsync(CancellationToken cancellationToken)
    {
        ProxySnapshot? snapshot;
        TaskCompletionSource tried;
        lock (_lock)
        {
            (snapshot, _pending) = (_pending, null);
            (tried, _pendingTried) = (_pendingTried, NewTried());
        }

        if (snapshot is null)
        {
            // Nothing handed over: the periodic run.
            Reconcile();
        }
        else if (!TrySync(snapshot))
        {
            // Tried again (as a full sync), unless a newer snapshot came meanwhile.
            lock (_lock)
            {
                _pending ??= snapshot;
            }

            _runner.RetryAfter(_options.RetryDelay);
        }

        tried.TrySetResult();
        return Task.CompletedTask;
    }

    private static TaskCompletionSource NewTried() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private bool TrySync(ProxySnapshot snapshot)
    {
        try
        {
            var result = _syncer.Sync(snapshot);
            _last = result;
            _lastError = null;
            Interlocked.Increment(ref _syncs);
            SyncLog.Synced(_logger, result.Full ? "full" : "incremental", snapshot.Ports.Length, result.Messages, result.Elapsed.TotalMilliseconds);
            if (result.ConntrackError is { } conntrack)
            {
                SyncLog.ConntrackFailed(_logger, conntrack);
            }

            return true;
        }
        catch (ArgumentException e)
        {
            // A snapshot the rules cannot express: nothing was sent; the previous rules stay until a better one comes.
            Fail(e.Message);
            return true;
        }
        catch (Exception e) when (e is NetfilterException or IOException or TimeoutException)
        {
            Fail(e.Message);
            return false;
        }
    }

    private void Reconcile()
    {
        try
        {
            var drift = _syncer.Reconcile();
            if (drift.Count > 0)
            {
                SyncLog.Repaired(_logger, string.Join("; ", drift.Take(5)), drift.Count);
            }
        }
        catch (Exception e) when (e is NetfilterException or IOException or TimeoutException)
        {
            Fail(e.Message);
        }
    }

    private void DeleteTable()
    {
        try
        {
            _syncer.DeleteTable();
            SyncLog.Deleted(_logger);
        }
        catch (Exception e) when (e is NetfilterException or IOException or TimeoutException)
        {
            SyncLog.DeleteFailed(_logger, e.Message);
        }
    }

    private void Fail(string message)
    {
        _lastError = message;
        Interlocked.Increment(ref _failures);
        SyncLog.Failed(_logger, message);
    }

    private static partial class SyncLog
    {
        [LoggerMessage(300, LogLevel.Information, "netfilter: {Kind} sync of {ServicePorts} service ports, {Messages} messages in {Milliseconds:0.0} ms")]
        public static partial void Synced(ILogger logger, string kind, int servicePorts, int messages, double milliseconds);

        [LoggerMessage(301, LogLevel.Error, "netfilter: sync failed, the rules from before stay in force: {Error}")]
        public static partial void Failed(ILogger logger, string error);

        [LoggerMessage(302, LogLevel.Warning, "netfilter: the table had drifted and was replaced ({Count} differences): {Drift}")]
        public static partial void Repaired(ILogger logger, string drift, int count);

        [LoggerMessage(303, LogLevel.Warning, "netfilter: stale UDP conntrack entries could not be deleted: {Error}")]
        public static partial void ConntrackFailed(ILogger logger, string error);

        [LoggerMessage(304, LogLevel.Information, "netfilter: table ip kpf deleted")]
        public static partial void Deleted(ILogger logger);

        [LoggerMessage(305, LogLevel.Warning, "netfilter: table ip kpf could not be deleted: {Error}")]
        public static partial void DeleteFailed(ILogger logger, string error);
    }
}
