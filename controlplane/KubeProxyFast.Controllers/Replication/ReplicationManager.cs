using KubeProxyFast.Api.Core;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Client.WorkQueue;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers.Replication;

/// <summary>
/// The replication manager (kube-controller-manager's <c>replicationcontroller</c>): keeps
/// <c>spec.replicas</c> pods of each ReplicationController, as Kubernetes' ReplicaSet controller
/// adapted to RCs. Informers on RCs and pods feed one work queue keyed by <c>namespace/name</c>;
/// <see cref="ReplicationOptions.ConcurrentRcSyncs"/> workers sync level-based from the caches:
/// claim pods (adopt orphans that match, release owned pods that no longer match), create from the
/// template or delete the pods least worth keeping (slow-start batches, at most
/// <see cref="ReplicationOptions.BurstReplicas"/> per sync, expectations so a slow watch never
/// causes a second create or delete), then write the status through <c>replicationcontrollers/status</c>.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "Its SemaphoreSlim never creates a wait handle (AvailableWaitHandle is not used): nothing to dispose.")]
public sealed partial class ReplicationManager : IController
{
    /// <summary>The controller's name, as kube-controller-manager's <c>--controllers</c> names it.</summary>
    public const string ControllerName = "replicationcontroller";

    /// <summary>The kind in the owner references of the pods it creates.</summary>
    public const string ControllerKind = "ReplicationController";

    /// <summary>The event source component, as Kubernetes'.</summary>
    public const string EventComponent = "replication-controller";

    // Pod indexes of this controller on the shared pod informer: the pods each controller uid
    // controls, and per namespace the pods nobody controls. A sync reads those instead of every
    // pod of the namespace (each read decodes its pods).
    private const string ControllerUidIndex = "replicationcontroller/controller-uid";
    private const string OrphansIndex = "replicationcontroller/orphans";

    // Pod creates and deletes in flight at once, over all workers: the apiserver serves 200 writes
    // at once and answers 429 beyond (Routing/RequestSlots); Kubernetes' controller manager is held
    // back by its client's QPS limit instead. This leaves room for every other writer.
    private const int MaxPodWritesInFlight = 64;

    private readonly ControllerContext _context;
    private readonly ReplicationOptions _options;
    private readonly SharedInformer<ReplicationController> _rcs;
    private readonly SharedInformer<Pod> _pods;
    private readonly RateLimitingQueue<string> _queue;
    private readonly ControllerExpectations _expectations;
    private readonly PodControl _podControl;
    private readonly SemaphoreSlim _podWrites = new(MaxPodWritesInFlight);
    private readonly ILogger _logger;
    private int _running;

    /// <summary>Builds the manager and registers its handlers and indexes on the context's shared informers.</summary>
    public ReplicationManager(ControllerContext context, ReplicationOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _context = context;
        _options = options;
        _logger = context.LoggerFactory.CreateLogger<ReplicationManager>();
        _queue = context.CreateQueue<string>("replicationmanager");
        _expectations = new ControllerExpectations(context.Time, options.ExpectationsTimeout);
        _podControl = new PodControl(context.Client, context.CreateRecorder(EventComponent));
        _rcs = context.Informers.InformerFor<ReplicationController>();
        _pods = context.Informers.InformerFor<Pod>();
        AddPodIndexes(_pods);
        _rcs.AddEventHandler(new ResourceHandler<ReplicationController> { OnAdd = AddRc, OnUpdate = UpdateRc, OnDelete = DeleteRc });
        _pods.AddEventHandler(new ResourceHandler<Pod> { OnAdd = AddPod, OnUpdate = UpdatePod, OnDelete = DeletePod });
    }

    /// <inheritdoc/>
    public string Name => ControllerName;

    /// <summary>What each controller still waits to see; for tests.</summary>
    internal ControllerExpectations Expectations => _expectations;

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException("the replication manager runs once");
        }

        ReplicationLog.Starting(_logger, _options.ConcurrentRcSyncs);
        using var stop = cancellationToken.Register(_queue.ShutDown);
        try
        {
            await Task.WhenAll(_rcs.WaitForCacheSyncAsync(cancellationToken), _pods.WaitForCacheSyncAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        var workers = new List<Task>(_options.ConcurrentRcSyncs + 1);
        for (var i = 0; i < _options.ConcurrentRcSyncs; i++)
        {
            workers.Add(Task.Run(() => WorkerAsync(cancellationToken), CancellationToken.None));
        }

        if (_options.ResyncPeriod > TimeSpan.Zero)
        {
            workers.Add(ResyncLoopAsync(cancellationToken));
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        _queue.Dispose();
        ReplicationLog.Stopped(_logger);
    }

    private async Task WorkerAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            string key;
            try
            {
                (key, var shuttingDown) = await _queue.GetAsync(cancellationToken).ConfigureAwait(false);
                if (shuttingDown)
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await SyncAsync(key, cancellationToken).ConfigureAwait(false);
                _queue.Forget(key);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: the key is dropped with the queue.
            }
#pragma warning disable CA1031 // A worker outlives any failure of one sync: it is logged and retried with backoff.
            catch (Exception e)
#pragma warning restore CA1031
            {
                ReplicationLog.SyncFailed(_logger, key, e);
                _queue.AddRateLimited(key);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    /// <summary>Queues every controller each resync period, so state no event reported still converges.</summary>
    private async Task ResyncLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.ResyncPeriod, _context.Time, cancellationToken).ConfigureAwait(false);
                foreach (var rc in _rcs.Lister.List())
                {
                    _queue.Add(PodStates.Key(rc));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private static void AddPodIndexes(SharedInformer<Pod> pods)
    {
        try
        {
            pods.AddIndexer(ControllerUidIndex, pod => PodStates.ControllerOf(pod) is { } owner ? [owner.Uid] : []);
            pods.AddIndexer(OrphansIndex, pod => PodStates.ControllerOf(pod) is null ? [pod.Metadata.Namespace ?? ""] : []);
        }
        catch (ArgumentException)
        {
            // Another replication manager on the same informer factory added the same indexes.
        }
    }
}
