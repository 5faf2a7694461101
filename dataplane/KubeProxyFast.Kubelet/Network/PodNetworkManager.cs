using System.Net;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Linux.Netlink;
using KubeProxyFast.Linux.Netlink.NfTables;
using KubeProxyFast.Linux.Netlink.Route;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Kubelet.Network;

/// <summary>
/// The node's pod network, for the kubelet: once this node's Node has a <c>spec.podCIDR</c> (from
/// the Node informer) the CNI network list is written into <see cref="CniConfDirectory"/> — the
/// network is then <see cref="Ready"/>, as containerd's CRI plugin reports NetworkReady once it
/// finds a config; meanwhile the host-gw routes to the other nodes follow the Nodes
/// (<see cref="HostGatewayRoutes"/>) and pod traffic leaving <see cref="KubeletOptions.ClusterCidr"/>
/// is masqueraded (<see cref="PodMasquerade"/>). Routes and masquerade go to the network
/// namespace of the thread that constructs this (the netlink sockets are opened there).
/// <code>
/// var network = new PodNetworkManager(options, loggerFactory);
/// await network.StartAsync(factory.InformerFor&lt;Node&gt;(), ct);   // returns once the informer has synced
/// // node status: Ready only while network.Ready; otherwise network.NotReadyReason
/// await network.DisposeAsync();                                  // masquerade deleted; routes and CNI config stay
/// </code>
/// </summary>
public sealed partial class PodNetworkManager : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly KubeletOptions _options;
    private readonly ILogger _logger;
    private readonly HostGatewayRoutes _routes;
    private readonly PodMasquerade _masquerade;
    private readonly TimeSpan _resyncPeriod;
    private readonly ResyncSignal _changed = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SharedInformer<Node>? _nodes;
    private IAsyncDisposable? _handler;
    private Task _loop = Task.CompletedTask;
    private volatile string? _notReadyReason = "the pod network has not started";
    private volatile string? _podCidr;
    private volatile string? _masqueradeError;
    private bool _masqueradeApplied;

    /// <summary>
    /// Prepares the network of <see cref="KubeletOptions.NodeName"/>: opens rtnetlink and
    /// nf_tables in the calling thread's namespace; throws <see cref="InvalidOperationException"/>
    /// naming the cause when they cannot be opened (root or CAP_NET_ADMIN is needed) or
    /// <see cref="KubeletOptions.ClusterCidr"/> is no IPv4 CIDR.
    /// </summary>
    /// <param name="options">Node name, data directory (the CNI conf dir is under it) and cluster CIDR.</param>
    /// <param name="loggerFactory">Where changes and failures are logged.</param>
    /// <param name="resyncPeriod">How often the config, routes and masquerade are checked without a change (default 60 s).</param>
    public PodNetworkManager(KubeletOptions options, ILoggerFactory? loggerFactory = null, TimeSpan? resyncPeriod = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IPNetwork.TryParse(options.ClusterCidr, out var clusterCidr) || clusterCidr.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new InvalidOperationException($"--cluster-cidr {options.ClusterCidr}: not an IPv4 CIDR");
        }

        _options = options;
        _resyncPeriod = resyncPeriod ?? TimeSpan.FromSeconds(60);
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger("KubeProxyFast.Kubelet.Network.PodNetworkManager");
        RouteNetlinkConnection? routes = null;
        NfTablesConnection? nftables = null;
        try
        {
            routes = RouteNetlinkConnection.Open();
            nftables = NfTablesConnection.Open();
        }
        catch (Exception e) when (e is NetlinkException or Linux.Interop.NativeCallException or IOException)
        {
            routes?.Dispose();
            throw new InvalidOperationException($"pod network: cannot open netlink (root or CAP_NET_ADMIN is needed): {e.Message}", e);
        }

        _routes = new HostGatewayRoutes(options.NodeName, routes, ownsConnection: true, _resyncPeriod, loggerFactory);
        _masquerade = new PodMasquerade(clusterCidr, nftables, ownsConnection: true);
    }

    /// <summary>The CNI conf dir containerd's CRI plugin reads: <c>&lt;data-dir&gt;/agent/etc/cni/net.d</c>.</summary>
    public string CniConfDirectory => Path.Combine(_options.DataDirectory, "agent", "etc", "cni", "net.d");

    /// <summary>Where host-local keeps the addresses it handed out: <c>&lt;data-dir&gt;/agent/cni/ipam</c> (one node's, never shared with another agent on the machine).</summary>
    public string IpamDataDirectory => Path.Combine(_options.DataDirectory, "agent", "cni", "ipam");

    /// <summary>True once the CNI config for the node's podCIDR is written: pods can get addresses.</summary>
    public bool Ready => _notReadyReason is null;

    /// <summary>Why the network is not ready (for the Ready condition's message), or null when it is.</summary>
    public string? NotReadyReason => _notReadyReason;

    /// <summary>The podCIDR the CNI config was written for, or null before.</summary>
    public string? PodCidr => _podCidr;

    /// <summary>Route or masquerade trouble that does not stop pods from starting (logged, retried), or null.</summary>
    public string? LastError => _masqueradeError ?? _routes.LastError;

    /// <summary>The host-gw routes (their state, for diagnostics).</summary>
    public HostGatewayRoutes Routes => _routes;

    /// <summary>
    /// Follows <paramref name="nodes"/> (an informer of all Nodes, started by the caller before or
    /// after): returns once its cache has synced and the masquerade, the CNI config (when the
    /// podCIDR is there already) and the routes had their first sync; otherwise the CNI
    /// config is written when this node's podCIDR appears (<see cref="WaitReadyAsync"/>). Call once.
    /// </summary>
    public async Task StartAsync(SharedInformer<Node> nodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (_nodes is not null)
        {
            throw new InvalidOperationException("pod network: already started");
        }

        _nodes = nodes;
        _notReadyReason = $"waiting for node {_options.NodeName} to get a podCIDR";
        _handler = nodes.AddEventHandler(new ResourceHandler<Node>
        {
            OnAdd = n => ChangedIfSelf(n),
            OnUpdate = (_, n) => ChangedIfSelf(n),
        });
        await nodes.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
        _changed.Notify();
        await _firstSync.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _routes.StartAsync(nodes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes once <see cref="Ready"/> is true.</summary>
    public Task WaitReadyAsync(CancellationToken cancellationToken = default) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>Stops following the Nodes and deletes the masquerade table; the routes and the CNI config stay.</summary>
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
        await _routes.DisposeAsync().ConfigureAwait(false);
        try
        {
            _masquerade.Delete();
        }
        catch (Exception e) when (e is NetfilterException or IOException or TimeoutException)
        {
            Log.MasqueradeFailed(_logger, e.Message);
        }

        _masquerade.Dispose();
        _stop.Dispose();
    }

    private void ChangedIfSelf(Node node)
    {
        if (node.Metadata.Name == _options.NodeName)
        {
            _changed.Notify();
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var wait = _resyncPeriod;
        while (await _changed.WaitAsync(wait, cancellationToken).ConfigureAwait(false))
        {
            var masqueraded = SyncMasquerade();
            var configured = SyncCniConfig();
            wait = masqueraded && configured ? _resyncPeriod : RetryDelay;
            _firstSync.TrySetResult();
        }
    }

    /// <summary>Writes the CNI config for the node's podCIDR; false when it should be tried again soon.</summary>
    private bool SyncCniConfig()
    {
        var node = _nodes!.Lister.Get(null, _options.NodeName);
        var podCidr = node?.Spec?.PodCIDRs is [var first, ..] ? first : node?.Spec?.PodCIDR;
        if (string.IsNullOrEmpty(podCidr))
        {
            // Not an error: the node IPAM controller has not got to this Node yet; its update wakes us.
            if (_podCidr is null)
            {
                _notReadyReason = node is null
                    ? $"waiting for node {_options.NodeName} to be registered"
                    : $"waiting for node {_options.NodeName} to get a podCIDR";
            }

            return true;
        }

        try
        {
            var config = CniConfig.For(podCidr, IpamDataDirectory);
            if (config.WriteTo(CniConfDirectory))
            {
                Log.CniConfigWritten(_logger, podCidr, Path.Combine(CniConfDirectory, CniConfig.FileName));
            }

            _podCidr = podCidr;
            _notReadyReason = null;
            _ready.TrySetResult();
            return true;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            Log.CniConfigFailed(_logger, e.Message);
            if (_podCidr is null)
            {
                _notReadyReason = $"cannot write the CNI config: {e.Message}";
            }

            return false;
        }
    }

    /// <summary>Applies the masquerade table (again when it went missing); false when refused.</summary>
    private bool SyncMasquerade()
    {
        try
        {
            if (!_masqueradeApplied || !_masquerade.Exists())
            {
                _masquerade.Apply();
                if (_masqueradeApplied)
                {
                    Log.MasqueradeRepaired(_logger);
                }

                _masqueradeApplied = true;
            }

            _masqueradeError = null;
            return true;
        }
        catch (Exception e) when (e is NetfilterException or IOException or TimeoutException)
        {
            _masqueradeError = $"masquerade: {e.Message}";
            Log.MasqueradeFailed(_logger, e.Message);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1610, LogLevel.Information, "pod network: CNI config for podCIDR {PodCidr} written to {Path}")]
        public static partial void CniConfigWritten(ILogger logger, string podCidr, string path);

        [LoggerMessage(1611, LogLevel.Error, "pod network: the CNI config cannot be written, retrying: {Error}")]
        public static partial void CniConfigFailed(ILogger logger, string error);

        [LoggerMessage(1612, LogLevel.Warning, "pod network: table ip kpf-agent had gone and was written again")]
        public static partial void MasqueradeRepaired(ILogger logger);

        [LoggerMessage(1613, LogLevel.Error, "pod network: masquerade table ip kpf-agent: {Error}")]
        public static partial void MasqueradeFailed(ILogger logger, string error);
    }
}
