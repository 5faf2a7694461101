using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client.Events;
using KubeProxyFast.Client.Informers;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers.NodeLifecycle;

/// <summary>
/// The node lifecycle controller, as kube-controller-manager's <c>nodelifecycle</c>: every
/// <see cref="NodeLifecycleOptions.NodeMonitorPeriod"/> it judges each node by when it last saw
/// its kubelet renew the node's Lease (in <c>kube-node-lease</c>) or post a status heartbeat. A
/// node silent past the grace period gets its conditions set to <c>Unknown</c> and the
/// <c>node.kubernetes.io/unreachable</c> taints; a node Ready=False gets
/// <c>node.kubernetes.io/not-ready</c>; the taints go when it is Ready again. The pods of a node
/// that is not ready are marked Ready=False (they leave Endpoints) and, once it has been unhealthy
/// for <see cref="NodeLifecycleOptions.PodEvictionTimeout"/>, deleted through its zone's
/// rate-limited eviction queue; a zone (or the whole cluster) mostly down evicts slower or not at
/// all. A node that comes back has its pending eviction cancelled.
/// </summary>
public sealed partial class NodeLifecycleController : IController
{
    /// <summary>The controller's name in <c>--controllers</c>.</summary>
    public const string ControllerName = "nodelifecycle";

    /// <summary>The namespace of the kubelets' node Leases.</summary>
    public const string NodeLeaseNamespace = "kube-node-lease";

    private readonly ControllerContext _context;
    private readonly NodeLifecycleOptions _options;
    private readonly ILogger _logger;
    private readonly SharedInformer<Node> _nodes;
    private readonly SharedInformer<Pod> _pods;
    private readonly SharedInformer<Lease> _leases;
    private readonly EventRecorder _recorder;
    private readonly long _origin;

    // Touched by the monitor pass and the eviction pass: under _lock.
    private readonly Lock _lock = new();
    private readonly Dictionary<string, NodeHealth> _health = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EvictionStatus> _evictionStatus = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RateLimitedTimedQueue> _zonePodEvictors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ZoneState> _zoneStates = new(StringComparer.Ordinal);
    // Only the monitor pass: the nodes it knows (name → uid and zone), to tell added and deleted ones.
    private readonly Dictionary<string, (string Uid, string Zone)> _known = new(StringComparer.Ordinal);
    // Only the monitor pass: nodes whose pods could not all be marked not ready, tried again at the next pass (Kubernetes' nodesToRetry).
    private readonly HashSet<string> _nodesToRetry = new(StringComparer.Ordinal);

    /// <summary>Builds the controller and asks for the informers of nodes, pods and node Leases.</summary>
    /// <exception cref="ArgumentException">An option is not valid (the message names it).</exception>
    public NodeLifecycleController(ControllerContext context, NodeLifecycleOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join("; ", errors));
        }

        _context = context;
        _options = options;
        _logger = context.LoggerFactory.CreateLogger<NodeLifecycleController>();
        _recorder = context.CreateRecorder("node-controller");
        _origin = context.Time.GetTimestamp();
        _nodes = context.Informers.InformerFor<Node>();
        _pods = context.Informers.InformerFor<Pod>();
        _leases = context.Informers.InformerFor<Lease>(NodeLeaseNamespace);
    }

    /// <inheritdoc/>
    public string Name => ControllerName;

    /// <summary>Wall-clock now, of the context's clock: probe timestamps and condition times.</summary>
    private DateTimeOffset Now => _context.Time.GetUtcNow();

    /// <summary>Monotonic now, of the context's clock: the eviction queues' times and rates.</summary>
    private TimeSpan Elapsed => _context.Time.GetElapsedTime(_origin);

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(
                _nodes.WaitForCacheSyncAsync(cancellationToken),
                _pods.WaitForCacheSyncAsync(cancellationToken),
                _leases.WaitForCacheSyncAsync(cancellationToken)).ConfigureAwait(false);
            await Task.WhenAll(
                RunEveryAsync(_options.NodeMonitorPeriod, MonitorNodeHealthAsync, cancellationToken),
                RunEveryAsync(_options.NodeEvictionPeriod, EvictionPassAsync, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs <paramref name="pass"/> now and then every <paramref name="period"/> (never two at once) until cancelled; a failed pass is logged and the next one runs.</summary>
    private async Task RunEveryAsync(TimeSpan period, Func<CancellationToken, Task> pass, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period, _context.Time);
        do
        {
            try
            {
                await pass(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
            {
                NodeLifecycleLog.PassFailed(_logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Kubernetes' zone key of a node: region and zone labels, "" when it has neither (one zone).</summary>
    private static string ZoneOf(Node node)
    {
        var labels = node.Metadata.Labels;
        var region = labels?.GetValueOrDefault("topology.kubernetes.io/region") ?? labels?.GetValueOrDefault("failure-domain.beta.kubernetes.io/region") ?? "";
        var zone = labels?.GetValueOrDefault("topology.kubernetes.io/zone") ?? labels?.GetValueOrDefault("failure-domain.beta.kubernetes.io/zone") ?? "";
        return region.Length == 0 && zone.Length == 0 ? "" : region + ":\0:" + zone;
    }
}
