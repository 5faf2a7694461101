using V1Node = KubeProxyFast.Api.Core.Node;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Linux.Netlink;
using KubeProxyFast.Linux.Netlink.Route;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Kubelet.Network;

/// <summary>
/// host-gw: for every other Node with a podCIDR and an InternalIP, the route <c>podCIDR via
/// InternalIP</c> in this node's main table, so a pod reaches pods of other nodes over the
/// nodes' shared link (the nodes must be on one L2 segment, as flannel's host-gw asks). The
/// routes follow the Node objects: a change of a Node's podCIDR or InternalIP, a Node added or
/// deleted, runs one level-based sync that makes the table's routes of ours equal to what the
/// informer's cache says (replace what is missing or different, delete what is no longer
/// wanted). Our routes carry <see cref="Protocol"/> as their <c>rtm_protocol</c>; a route of any
/// other protocol is never replaced nor deleted, and leftovers of ours from an earlier run are
/// removed by the first sync. The routes stay when this stops (pods keep reaching each other
/// across a kubelet restart; the next start's first sync corrects them).
/// </summary>
public sealed partial class HostGatewayRoutes : IAsyncDisposable
{
    /// <summary>
    /// The <c>rtm_protocol</c> marking our routes (<c>ip route … proto 75</c>): free in
    /// <c>/etc/iproute2/rt_protos</c> and among the values routing daemons use.
    /// </summary>
    public const byte Protocol = 75;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly string _nodeName;
    private readonly RouteNetlinkConnection _routes;
    private readonly bool _ownsConnection;
    private readonly TimeSpan _resyncPeriod;
    private readonly ILogger _logger;
    private readonly ResyncSignal _changed = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SharedInformer<V1Node>? _nodes;
    private IAsyncDisposable? _handler;
    private Task _loop = Task.CompletedTask;
    private volatile string? _lastError;
    private volatile IReadOnlyList<RouteEntry> _applied = [];

    /// <summary>
    /// Routes for <paramref name="nodeName"/>'s peers, written through <paramref name="routes"/>
    /// (the connection decides the network namespace: it is the one of the thread that opened it).
    /// </summary>
    /// <param name="nodeName">This node: its own Node gets no route.</param>
    /// <param name="routes">rtnetlink in the node's namespace; used by one loop only.</param>
    /// <param name="ownsConnection">Dispose <paramref name="routes"/> on dispose.</param>
    /// <param name="resyncPeriod">How often the table is checked and repaired without a Node change (default 60 s).</param>
    /// <param name="loggerFactory">Where route changes and failures are logged.</param>
    public HostGatewayRoutes(string nodeName, RouteNetlinkConnection routes, bool ownsConnection = false, TimeSpan? resyncPeriod = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(nodeName);
        ArgumentNullException.ThrowIfNull(routes);
        _nodeName = nodeName;
        _routes = routes;
        _ownsConnection = ownsConnection;
        _resyncPeriod = resyncPeriod ?? TimeSpan.FromSeconds(60);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("KubeProxyFast.Kubelet.Network.HostGatewayRoutes");
    }

    /// <summary>Why the last sync left some route unapplied (each failure named), or null when the table matched.</summary>
    public string? LastError => _lastError;

    /// <summary>The routes of ours the last sync left in the table.</summary>
    public IReadOnlyList<RouteEntry> Routes => _applied;

    /// <summary>
    /// Follows <paramref name="nodes"/> (an informer of all Nodes; it may be started before or
    /// after): waits for its cache, then for the first sync, which removes our leftovers. Call once.
    /// </summary>
    public async Task StartAsync(SharedInformer<V1Node> nodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (_nodes is not null)
        {
            throw new InvalidOperationException("host-gw routes: already started");
        }

        _nodes = nodes;
        _handler = nodes.AddEventHandler(new ResourceHandler<V1Node>
        {
            OnAdd = _ => Changed(),
            OnUpdate = (old, now) =>
            {
                if (!Equals(WantedRoute(old), WantedRoute(now)))
                {
                    Changed();
                }
            },
            OnDelete = _ => Changed(),
        });
        await nodes.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
        Changed();
        await _firstSync.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops following the Nodes (a sync in progress finishes); the routes stay.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_handler is not null)
        {
            await _handler.DisposeAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        if (_ownsConnection)
        {
            _routes.Dispose();
        }
    }

    private void Changed() => _changed.Notify();

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var wait = _resyncPeriod;
        while (await _changed.WaitAsync(wait, cancellationToken).ConfigureAwait(false))
        {
            wait = Sync() ? _resyncPeriod : RetryDelay;
            _firstSync.TrySetResult();
        }
    }

    private bool Sync()
    {
        try
        {
            var wanted = WantedRoutes(_nodeName, _nodes!.Lister.List());
            var errors = Apply(wanted);
            _lastError = errors.Count == 0 ? null : string.Join("; ", errors);
            if (errors.Count > 0)
            {
                Log.Failed(_logger, _lastError!);
            }

            return errors.Count == 0;
        }
        catch (Exception e) when (e is NetlinkException or IOException or TimeoutException)
        {
            _lastError = e.Message;
            Log.Failed(_logger, e.Message);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1600, LogLevel.Information, "host-gw: route {Route} set")]
        public static partial void Set(ILogger logger, string route);

        [LoggerMessage(1601, LogLevel.Information, "host-gw: route {Route} deleted")]
        public static partial void Deleted(ILogger logger, string route);

        [LoggerMessage(1602, LogLevel.Warning, "host-gw: routes not in step with the Nodes, retrying: {Error}")]
        public static partial void Failed(ILogger logger, string error);
    }
}
