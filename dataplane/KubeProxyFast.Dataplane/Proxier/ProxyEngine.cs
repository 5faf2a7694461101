using System.Collections.Frozen;
using System.Net;
using KubeProxyFast.Dataplane.Metrics;
using KubeProxyFast.Dataplane.Relay;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Dataplane.Proxier;

/// <summary>
/// The userspace proxy: for every service port of the applied <see cref="ProxySnapshot"/> it
/// keeps listeners open (one per event loop and address), balances new clients over the port's
/// endpoints and relays their bytes. <see cref="Apply"/> is level-based: it makes the listeners
/// and endpoint sets match the snapshot, touching only the ports that changed.
/// </summary>
public sealed partial class ProxyEngine : IDisposable
{
    private readonly ProxyEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LoopContext[] _loops;
    private readonly Lock _applyLock = new();
    private readonly Dictionary<ServicePortId, PortEntry> _ports = [];
    private ProxySnapshot _applied = ProxySnapshot.Empty;
    private volatile FrozenDictionary<ServicePortId, int> _proxyPorts = FrozenDictionary<ServicePortId, int>.Empty;
    private volatile ServicePortCounters[] _counters = [];
    private bool _disposed;

    /// <summary>Starts the event loops; no service port is served until <see cref="Apply"/>.</summary>
    public ProxyEngine(ProxyEngineOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("KubeProxyFast.Proxy");
        _loops = new LoopContext[options.Threads];
        MaxConnections = options.MaxConnections > 0 ? options.MaxConnections : ConnectionsForDescriptorLimit();
        var perLoop = (MaxConnections + options.Threads - 1) / options.Threads;
        for (var i = 0; i < _loops.Length; i++)
        {
            var loop = new EventLoop(i, options.SweepInterval, options.BusyPoll, options.IoUring, _logger);
            _loops[i] = new LoopContext(loop, new TcpRelayManager(loop, options, perLoop, _logger));
        }

        foreach (var context in _loops)
        {
            context.Loop.Start();
        }
    }

    /// <summary>The snapshot currently served (ports that failed to bind are left out, so the next apply retries them).</summary>
    public ProxySnapshot Applied
    {
        get
        {
            lock (_applyLock)
            {
                return _applied;
            }
        }
    }

    /// <summary>The cap on TCP connections relayed at once (given, or derived from the descriptor limit).</summary>
    public int MaxConnections { get; }

    /// <summary>In <see cref="ListenMode.ProxyPort"/> mode, the local port of each service port.</summary>
    public IReadOnlyDictionary<ServicePortId, int> ProxyPorts => _proxyPorts;

    /// <summary>Counters of the served service ports.</summary>
    public IReadOnlyList<ServicePortCounters> Counters => _counters;

    /// <summary>
    /// Makes the engine serve <paramref name="snapshot"/>: opens listeners of new ports, closes
    /// those of removed ports (their connections drain), swaps endpoint sets of changed ports.
    /// Applying the same snapshot again changes nothing. A port that cannot be bound is reported
    /// in the result and left out, the rest is applied.
    /// </summary>
    public ApplyResult Apply(ProxySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_applyLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var diff = SnapshotDiff.Compute(_applied, snapshot);
            if (diff.IsEmpty)
            {
                return ApplyResult.Unchanged;
            }

            var failures = new List<ApplyFailure>();
            foreach (var spec in diff.Removed)
            {
                RemovePort(spec.Id);
            }

            var added = new List<ServicePortSpec>(diff.Added);
            foreach (var (old, spec) in diff.Changed)
            {
                if (SameAddresses(old, spec) && _ports.TryGetValue(spec.Id, out var entry))
                {
                    entry.Runtime.Update(spec, _options, _time);
                }
                else
                {
                    RemovePort(spec.Id);
                    added.Add(spec);
                }
            }

            var failed = new HashSet<ServicePortId>();
            foreach (var spec in added)
            {
                try
                {
                    AddPort(spec);
                }
                catch (NativeCallException e)
                {
                    failed.Add(spec.Id);
                    failures.Add(new ApplyFailure(spec.Id, e.Message));
                    EngineLog.PortFailed(_logger, spec.Id.ToString(), e.Message);
                }
            }

            _applied = failed.Count == 0 ? snapshot : new ProxySnapshot(snapshot.Ports.Where(p => !failed.Contains(p.Id)));
            Publish();
            EngineLog.Applied(_logger, diff.Added.Count, diff.Changed.Count, diff.Removed.Count, failures.Count);
            return new ApplyResult(diff.Added.Count, diff.Changed.Count, diff.Removed.Count, failures);
        }
    }

    /// <summary>Stops the loops and closes every socket.</summary>
    public void Dispose()
    {
        lock (_applyLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        foreach (var context in _loops)
        {
            var done = new ManualResetEventSlim();
            context.Loop.Post(() =>
            {
                context.Shutdown();
                done.Set();
            });
            done.Wait(TimeSpan.FromSeconds(5));
            done.Dispose();
            context.Loop.Dispose();
            context.Dispose();
        }
    }

    /// <summary>
    /// Two descriptors per relayed connection, after what is open now and a reserve: the runtime
    /// opens more as it loads assemblies (two each) and starts threads, and a process out of
    /// descriptors fails in places nobody handles (seen: "Out of memory" from the runtime).
    /// Listeners and pipes come out of the reserve too.
    /// </summary>
    private static int ConnectionsForDescriptorLimit()
    {
        const int Reserve = 256;
        var free = ResourceLimits.OpenFilesLimit() - ResourceLimits.OpenFiles() - Reserve;
        return (int)Math.Clamp(free / 2, 16, 1_000_000);
    }

    private static bool SameAddresses(ServicePortSpec a, ServicePortSpec b) =>
        a.Protocol == b.Protocol && a.ClusterIP.Equals(b.ClusterIP) && a.Port == b.Port && a.NodePort == b.NodePort &&
        a.ExternalIPs.AsSpan().SequenceEqual(b.ExternalIPs.AsSpan());

    private void AddPort(ServicePortSpec spec)
    {
        var runtime = new ServicePortRuntime(spec, _options, _time);
        var sockets = new List<(LoopContext Loop, IServiceSocket Socket)>();
        int? proxyPort = null;
        try
        {
            foreach (var address in ListenAddresses(spec))
            {
                var endPoint = address;
                foreach (var context in _loops)
                {
                    var fd = NativeSocket.Listen(endPoint, spec.Protocol == L4Protocol.Udp, _options.Backlog);
                    if (endPoint.Port == 0)
                    {
                        // The first loop's socket picks the proxy port; the others join it.
                        endPoint = new IPEndPoint(endPoint.Address, NativeSocket.LocalPort(fd));
                        proxyPort = endPoint.Port;
                    }

                    sockets.Add((context, CreateSocket(context, runtime, fd, endPoint)));
                }
            }
        }
        catch
        {
            foreach (var (_, socket) in sockets)
            {
                socket.Close();
            }

            throw;
        }

        foreach (var (context, socket) in sockets)
        {
            context.Loop.Post(() => context.Add(socket));
        }

        _ports[spec.Id] = new PortEntry(runtime, sockets, proxyPort);
    }

    private static IServiceSocket CreateSocket(LoopContext context, ServicePortRuntime runtime, int fd, IPEndPoint endPoint) =>
        runtime.Spec.Protocol == L4Protocol.Udp
            ? new UdpServiceSocket(context, runtime, fd, endPoint)
            : new TcpServiceListener(context.Relays, runtime, fd, endPoint);

    private void RemovePort(ServicePortId id)
    {
        if (!_ports.Remove(id, out var entry))
        {
            return;
        }

        entry.Runtime.MarkRemoved();
        foreach (var (context, socket) in entry.Sockets)
        {
            context.Loop.Post(() => context.Remove(socket));
        }
    }

    /// <summary>
    /// Where the engine listens for <paramref name="spec"/>: in <see cref="ListenMode.Direct"/> mode
    /// clusterIP:port, every externalIP:port and the node port on each node port address; in
    /// <see cref="ListenMode.ProxyPort"/> mode the proxy bind address with port 0 (the port is
    /// chosen at bind time, see <see cref="ProxyPorts"/>).
    /// </summary>
    public IEnumerable<IPEndPoint> ListenAddresses(ServicePortSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (_options.Listen == ListenMode.ProxyPort)
        {
            yield return new IPEndPoint(_options.ProxyBindAddress, 0);
            yield break;
        }

        if (!spec.ClusterIP.Equals(IPAddress.None) && !spec.ClusterIP.Equals(IPAddress.Any))
        {
            yield return new IPEndPoint(spec.ClusterIP, spec.Port);
        }

        foreach (var ip in spec.ExternalIPs)
        {
            yield return new IPEndPoint(ip, spec.Port);
        }

        if (spec.NodePort is { } nodePort)
        {
            foreach (var ip in _options.NodePortAddresses)
            {
                yield return new IPEndPoint(ip, nodePort);
            }
        }
    }

    private void Publish()
    {
        var counters = new ServicePortCounters[_ports.Count];
        var proxyPorts = new Dictionary<ServicePortId, int>();
        var i = 0;
        foreach (var (id, entry) in _ports)
        {
            counters[i++] = entry.Runtime.Counters;
            if (entry.ProxyPort is { } port)
            {
                proxyPorts[id] = port;
            }
        }

        Array.Sort(counters, static (a, b) => a.Id.CompareTo(b.Id));
        _counters = counters;
        _proxyPorts = proxyPorts.ToFrozenDictionary();
    }

    private sealed record PortEntry(
        ServicePortRuntime Runtime, List<(LoopContext Loop, IServiceSocket Socket)> Sockets, int? ProxyPort);

    private static partial class EngineLog
    {
        [LoggerMessage(20, LogLevel.Information, "applied snapshot: {Added} added, {Changed} changed, {Removed} removed, {Failed} failed")]
        public static partial void Applied(ILogger logger, int added, int changed, int removed, int failed);

        [LoggerMessage(21, LogLevel.Error, "{ServicePort}: cannot serve: {Reason}")]
        public static partial void PortFailed(ILogger logger, string servicePort, string reason);
    }
}

/// <summary>The outcome of <see cref="ProxyEngine.Apply"/>.</summary>
/// <param name="Added">Service ports opened.</param>
/// <param name="Changed">Service ports updated.</param>
/// <param name="Removed">Service ports closed.</param>
/// <param name="Failures">Ports that could not be served, with the reason.</param>
public sealed record ApplyResult(int Added, int Changed, int Removed, IReadOnlyList<ApplyFailure> Failures)
{
    /// <summary>Nothing changed.</summary>
    public static ApplyResult Unchanged { get; } = new(0, 0, 0, []);
}

/// <summary>A service port the engine could not serve.</summary>
/// <param name="Id">The service port.</param>
/// <param name="Reason">The error, naming the call and address (e.g. <c>bind 198.18.0.10:80: EADDRINUSE (98)</c>).</param>
public sealed record ApplyFailure(ServicePortId Id, string Reason);
