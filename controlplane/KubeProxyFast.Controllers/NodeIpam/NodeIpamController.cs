using KubeProxyFast.Api.Core;
using KubeProxyFast.Client.Events;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Client.WorkQueue;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers.NodeIpam;

/// <summary>
/// Node IPAM as kube-controller-manager's <c>nodeipam</c> controller with its range allocator: each
/// node without <c>spec.podCIDR</c> gets the next free subnet of the cluster CIDR (<c>spec.podCIDR</c>
/// and <c>spec.podCIDRs</c>, patched), a node's CIDR is never changed once set, a node deleted
/// frees its CIDR. At start the CIDRs of the nodes in the informer are occupied before anything is
/// handed out. A full range gives the node a <c>CIDRNotAvailable</c> event; it is retried when a
/// CIDR is released (and with backoff meanwhile).
/// </summary>
public sealed partial class NodeIpamController : IController
{
    /// <summary>The controller's name in <c>--controllers</c>.</summary>
    public const string ControllerName = "nodeipam";

    private readonly NodeIpamOptions _options;
    private readonly ControllerContext _context;
    private readonly ILogger _logger;
    private readonly SharedInformer<Node> _nodes;
    private readonly RateLimitingQueue<string> _queue;
    private readonly EventRecorder _recorder;
    private readonly NodeCidrAllocator _allocator;

    /// <summary>Builds the controller and registers its node handlers.</summary>
    /// <exception cref="ArgumentException">The cluster CIDR, the mask size or the service CIDR is not valid (the message names which).</exception>
    public NodeIpamController(ControllerContext context, NodeIpamOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _allocator = options.CreateAllocator();
        _options = options;
        _context = context;
        _logger = context.LoggerFactory.CreateLogger<NodeIpamController>();
        _queue = context.CreateQueue<string>(ControllerName);
        // Kubernetes' range allocator reports as "cidrAllocator".
        _recorder = context.CreateRecorder("cidrAllocator");
        _nodes = context.Informers.InformerFor<Node>();
        _nodes.AddEventHandler(new ResourceHandler<Node>
        {
            OnAdd = Enqueue,
            OnUpdate = (old, node) =>
            {
                if (string.IsNullOrEmpty(node.Spec?.PodCIDR) || old.Spec?.PodCIDR != node.Spec?.PodCIDR || node.Metadata.Uid != old.Metadata.Uid)
                {
                    Enqueue(node);
                }
            },
            OnDelete = Enqueue,
        });
    }

    /// <inheritdoc/>
    public string Name => ControllerName;

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _nodes.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false);
        OccupyExisting();
        var workers = new Task[Math.Max(1, _options.Workers)];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _queue.ShutDownWithDrainAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
        _queue.Dispose();
    }

    /// <summary>Every node's existing CIDR is marked used before the first allocation, so none is handed out twice across a restart.</summary>
    private void OccupyExisting()
    {
        var count = 0;
        foreach (var node in _nodes.Lister.List())
        {
            if (string.IsNullOrEmpty(node.Spec?.PodCIDR) || node.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            _allocator.Decide(node, out var foreign);
            if (foreign is not null)
            {
                NodeIpamLog.ForeignCidr(_logger, node.Metadata.Name!, foreign, _allocator.Cluster);
            }
            else
            {
                count++;
            }
        }

        NodeIpamLog.Occupied(_logger, count, _allocator.Used, _allocator.Max, _allocator.Cluster);
    }

    private void Enqueue(Node node)
    {
        if (node.Metadata.Name is { Length: > 0 } name)
        {
            _queue.Add(name);
        }
    }
}
