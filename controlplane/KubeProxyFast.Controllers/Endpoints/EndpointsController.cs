using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Events;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Client.WorkQueue;
using Microsoft.Extensions.Logging;
using V1Endpoints = KubeProxyFast.Api.Core.Endpoints;

namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>
/// The endpoints controller (kube-controller-manager's <c>endpoint</c>): keeps, for every Service
/// with a selector, an Endpoints of the same name listing the matching pods that have an IP.
/// Services, pods and Endpoints come from the shared informers; a change enqueues the keys of the
/// services it concerns (a pod's: the services whose selector matches its old or new labels);
/// <see cref="EndpointsOptions.ConcurrentEndpointSyncs"/> workers sync one service each at a time,
/// level-based: the Endpoints is computed from the caches and written only when it differs from
/// what is stored. Services without a selector are left alone (their Endpoints are the user's);
/// the Endpoints of a deleted Service are deleted. A failed sync is retried with the queue's
/// backoff, without limit (Kubernetes drops a service after 15 retries until its next change;
/// retrying at most every 1,000 s lets a long apiserver outage heal by itself).
/// </summary>
public sealed partial class EndpointsController : IController
{
    private readonly KubeClient _client;
    private readonly EndpointsOptions _options;
    private readonly ILogger _logger;
    private readonly RateLimitingQueue<string> _queue;
    private readonly EventRecorder _recorder;
    private readonly SharedInformer<Service> _services;
    private readonly SharedInformer<Pod> _pods;
    private readonly SharedInformer<V1Endpoints> _endpoints;
    private readonly EndpointPodCache _podCache;
    private readonly ServiceSelectors _selectors = new();
    private readonly TriggerTimeTracker _triggerTimes = new();
    private readonly StaleEndpointsTracker _stale = new();
    private readonly List<IAsyncDisposable> _registrations = [];

    /// <summary>Builds the controller: asks the context for the informers of services, pods and endpoints and registers its handlers.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public EndpointsController(ControllerContext context, EndpointsOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = context.Client;
        _options = options;
        _logger = context.LoggerFactory.CreateLogger<EndpointsController>();
        _queue = context.CreateQueue<string>(Name);
        _recorder = context.CreateRecorder("endpoint-controller");
        _services = context.Informers.InformerFor<Service>();
        _pods = context.Informers.InformerFor<Pod>();
        _endpoints = context.Informers.InformerFor<V1Endpoints>();
        _podCache = new EndpointPodCache(_pods.Lister);
        _registrations.Add(_services.AddEventHandler(new() { OnAdd = OnServiceChanged, OnUpdate = (_, service) => OnServiceChanged(service), OnDelete = OnServiceDeleted }));
        _registrations.Add(_pods.AddEventHandler(new() { OnAdd = OnPodAdded, OnUpdate = OnPodUpdated, OnDelete = OnPodDeleted }));
        _registrations.Add(_endpoints.AddEventHandler(new() { OnDelete = OnEndpointsDeleted }));
    }

    /// <inheritdoc/>
    public string Name => "endpoint";

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        EndpointsLog.Starting(_logger, _options.ConcurrentEndpointSyncs);
        try
        {
            // Run alone (no controller manager waiting for every cache), a service not listed yet
            // would look deleted and its Endpoints would be deleted.
            try
            {
                await Task.WhenAll(
                    _services.WaitForCacheSyncAsync(cancellationToken),
                    _pods.WaitForCacheSyncAsync(cancellationToken),
                    _endpoints.WaitForCacheSyncAsync(cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            EnqueueLeftoverEndpoints();
            var workers = new Task[_options.ConcurrentEndpointSyncs];
            for (var i = 0; i < workers.Length; i++)
            {
                workers[i] = Task.Run(() => WorkerAsync(cancellationToken), CancellationToken.None);
            }

            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        finally
        {
            EndpointsLog.Stopping(_logger);
            _queue.ShutDown();
            foreach (var registration in _registrations)
            {
                await registration.DisposeAsync().ConfigureAwait(false);
            }

            _queue.Dispose();
        }
    }

    /// <summary>
    /// Enqueues the service of every Endpoints, once at start: an Endpoints whose service was
    /// deleted while no controller ran is found and deleted (Kubernetes' checkLeftoverEndpoints).
    /// Leader-election records kept in Endpoints by old components have no service and are kept.
    /// </summary>
    private void EnqueueLeftoverEndpoints()
    {
        foreach (var endpoints in _endpoints.Lister.List())
        {
            if (endpoints.Metadata.Annotations?.ContainsKey(LeaderElectionRecordAnnotation) == true)
            {
                continue;
            }

            _queue.Add(KeyOf(endpoints.Metadata.Namespace, endpoints.Metadata.Name));
        }
    }

    private async Task WorkerAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
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
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await SyncServiceAsync(key, cancellationToken).ConfigureAwait(false);
                _queue.Forget(key);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // any failure of one sync (apiserver down, conflict, a malformed object) is retried; the worker lives on
            catch (Exception e)
#pragma warning restore CA1031
            {
                EndpointsLog.SyncFailed(_logger, key, _queue.NumRequeues(key), e);
                _queue.AddRateLimited(key);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    private static string KeyOf(string? ns, string? name) => string.IsNullOrEmpty(ns) ? name ?? "" : ns + "/" + name;
}
