using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Netlink;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Dataplane.Netfilter.Sync;

/// <summary>
/// Owns a <see cref="NetfilterSyncer"/> on a thread of its own, as kube-proxy's bounded-frequency
/// runner owns its proxier: <see cref="Update"/> hands over the latest snapshot (an older one not
/// yet synced is dropped, the rules are level-based), syncs are at least
/// <see cref="NetfilterSyncLoopOptions.MinSyncPeriod"/> apart, a failed sync is retried as a full
/// one after <see cref="NetfilterSyncLoopOptions.RetryDelay"/>, and every
/// <see cref="NetfilterSyncLoopOptions.SyncPeriod"/> the table is read back and repaired. On
/// dispose the table is deleted unless told to keep it. The rules go to the network namespace of
/// the thread that creates the loop.
/// </summary>
public sealed partial class NetfilterSyncLoop : IDisposable
{
    private readonly NetfilterSyncLoopOptions _options;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly Lock _lock = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IReadOnlyDictionary<ServicePortId, int> _proxyPorts = new Dictionary<ServicePortId, int>();
    private ProxySnapshot? _pending;
    private bool _stopping;
    private bool _busy;
    private long _syncs;
    private long _failures;
    private volatile SyncResult? _last;
    private volatile string? _lastError;

    /// <summary>Starts the loop; throws when netlink cannot be opened (e.g. not root), naming the cause.</summary>
    public NetfilterSyncLoop(NetfilterSyncLoopOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("KubeProxyFast.Dataplane.Netfilter");
        // A thread inherits the network namespace of the thread that starts it.
        _thread = new Thread(Run) { IsBackground = true, Name = "kpf netfilter sync" };
        _thread.Start();
        _opened.Task.GetAwaiter().GetResult();
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
    public void Update(ProxySnapshot snapshot, IReadOnlyDictionary<ServicePortId, int>? proxyPorts = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            _pending = snapshot;
            if (proxyPorts is not null)
            {
                _proxyPorts = proxyPorts;
            }
        }

        _wake.Set();
    }

    /// <summary>
    /// Waits (bounded) until nothing handed over is left to sync — programmed, or refused as
    /// inexpressible; a snapshot the kernel refused stays to be retried. True when idle.
    /// </summary>
    public bool WaitIdle(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_lock)
            {
                if (_pending is null && !_busy)
                {
                    return true;
                }
            }

            Thread.Sleep(5);
        }

        return false;
    }

    /// <summary>Stops the loop and, unless told to keep them, deletes the rules.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        _wake.Set();
        _thread.Join();
        _wake.Dispose();
    }

    private void Run()
    {
        NetfilterSyncer syncer;
        try
        {
            syncer = _options.Mode == NetfilterMode.Kernel
                ? NetfilterSyncer.ForKernelMode()
                : NetfilterSyncer.ForUserspaceMode(id => _proxyPorts.TryGetValue(id, out var port) ? port : null);
        }
        catch (Exception e)
        {
            _opened.SetException(new InvalidOperationException($"netfilter: cannot open netlink (root or CAP_NET_ADMIN is needed): {e.Message}", e));
            return;
        }

        _opened.SetResult();
        using (syncer)
        {
            Loop(syncer);
            if (!_options.KeepRulesOnExit)
            {
                try
                {
                    syncer.DeleteTable();
                    SyncLog.Deleted(_logger);
                }
                catch (Exception e) when (e is NetfilterException or IOException or TimeoutException)
                {
                    SyncLog.DeleteFailed(_logger, e.Message);
                }
            }
        }
    }

    private void Loop(NetfilterSyncer syncer)
    {
        // Not before: MinSyncPeriod after a sync, RetryDelay after a failure.
        var notBefore = DateTime.MinValue;
        var nextReconcile = DateTime.UtcNow + _options.SyncPeriod;
        while (true)
        {
            var now = DateTime.UtcNow;
            ProxySnapshot? snapshot = null;
            lock (_lock)
            {
                if (_stopping)
                {
                    return;
                }

                if (_pending is not null && now >= notBefore)
                {
                    snapshot = _pending;
                    _pending = null;
                    _busy = true;
                }
            }

            if (snapshot is not null)
            {
                var synced = TrySync(syncer, snapshot);
                lock (_lock)
                {
                    // A failed snapshot is tried again (as a full sync), unless a newer one came meanwhile.
                    if (!synced)
                    {
                        _pending ??= snapshot;
                    }

                    _busy = false;
                }

                notBefore = DateTime.UtcNow + (synced ? _options.MinSyncPeriod : _options.RetryDelay);
                continue;
            }

            if (now >= nextReconcile)
            {
                nextReconcile = now + _options.SyncPeriod;
                Reconcile(syncer);
            }

            var wait = nextReconcile - DateTime.UtcNow;
            lock (_lock)
            {
                if (_pending is not null && notBefore - DateTime.UtcNow < wait)
                {
                    wait = notBefore - DateTime.UtcNow;
                }
            }

            if (wait > TimeSpan.Zero)
            {
                _wake.WaitOne(wait > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : wait);
            }
        }
    }

    private bool TrySync(NetfilterSyncer syncer, ProxySnapshot snapshot)
    {
        try
        {
            var result = syncer.Sync(snapshot);
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

    private void Reconcile(NetfilterSyncer syncer)
    {
        try
        {
            var drift = syncer.Reconcile();
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
