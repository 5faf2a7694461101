using System.Globalization;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.Storage;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Reconcilers;

/// <summary>
/// The <c>kubernetes</c> Service and Endpoints in <c>default</c>, kept as kube-apiserver's
/// kubernetes-service controller and lease endpoint reconciler keep them: every interval this
/// server renews its lease, creates the Service if it is missing (cluster IP the first address of
/// the range, port 443 <c>https</c> to the apiserver's port) or puts back its ports and type if
/// they were edited, and writes the Endpoints as the addresses and ports of the live leases. So a
/// deleted or edited object is back within an interval, every server on the store is listed, and
/// a stopped one leaves within its lease's TTL (or at once when it stops cleanly).
/// </summary>
/// <remarks>
/// A failed round (the store down) is logged and tried again next interval: one attempt per
/// interval, never an exception out of the loop.
/// </remarks>
internal sealed partial class KubernetesServiceReconciler : IAsyncDisposable
{
    /// <summary>The Service's and Endpoints' name, and their namespace.</summary>
    public const string Name = "kubernetes";

    private const string Namespace = "default";
    private const string PortName = "https";
    private const int ServicePort = 443;

    private readonly ObjectRegistry _registry;
    private readonly ApiServerLeases _leases;
    private readonly string _clusterIp;
    private readonly ApiServerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private string _address = "";
    private int _port;

    public KubernetesServiceReconciler(ObjectRegistry registry, string clusterIp, ApiServerOptions options, ILogger logger)
    {
        _registry = registry;
        _leases = new ApiServerLeases(registry.Store);
        _clusterIp = clusterIp;
        _options = options;
        _logger = logger;
    }

    /// <summary>Starts keeping the objects, for the server at <paramref name="address"/>:<paramref name="port"/>.</summary>
    public void Start(string address, int port)
    {
        _address = address;
        _port = port;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Stops the loop and takes this server out of the Endpoints (best effort, bounded: the store may be down).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        if (_port == 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _leases.RemoveAsync(_address, _port, timeout.Token).ConfigureAwait(false);
            await ReconcileEndpointsAsync(await _leases.ListLiveAsync(_options.Time.GetUtcNow(), timeout.Token).ConfigureAwait(false), timeout.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreException or StatusException or OperationCanceledException)
        {
            LogRemoveFailed(_logger, e.Message);
        }
    }

    /// <summary>One round: this server's lease, the Service, the Endpoints.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = _options.Time.GetUtcNow();
        await _leases.RenewAsync(new ApiServerLease(_address, _port, now + _options.ApiServerLeaseTtl), cancellationToken).ConfigureAwait(false);
        var live = await _leases.ListLiveAsync(now, cancellationToken).ConfigureAwait(false);
        await ReconcileServiceAsync(live, cancellationToken).ConfigureAwait(false);
        await ReconcileEndpointsAsync(live, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Anything else too: the loop must outlive one failed pass, and the next retries.
                LogFailed(_logger, e.Message);
            }

            try
            {
                await Task.Delay(_options.EndpointReconcileInterval, _options.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReconcileServiceAsync(List<ApiServerLease> live, CancellationToken cancellationToken)
    {
        var current = (Service?)await _registry.FindAsync(Resources.Services, Namespace, Name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            var service = new Service
            {
                Metadata = { Name = Name, Labels = new() { ["component"] = "apiserver", ["provider"] = "kubernetes" } },
                Spec = new ServiceSpec { Type = "ClusterIP", ClusterIP = _clusterIp, SessionAffinity = "None", Ports = [DesiredPort(_port)] },
            };
            ObjectLifecycle.PrepareCreate(Resources.Services, service, Namespace, _options.Time.GetUtcNow());
            try
            {
                await _registry.CreateAsync(Resources.Services, service, cancellationToken).ConfigureAwait(false);
            }
            catch (StatusException e) when (e.Code == 409)
            {
                // Another apiserver on the store made it first.
            }

            return;
        }

        // Any live server's port will do as the target: servers on one host differ by port, and
        // putting back our own while another's is there would make them overwrite each other.
        var targetPort = current.Spec?.Ports is [{ TargetPort: { } target }] && live.Exists(l => l.Port == target.IntValue) ? target.IntValue : _port;
        if (IsDesired(current.Spec, targetPort))
        {
            return;
        }

        await _registry.UpdateAsync(Resources.Services, Namespace, Name, obj =>
        {
            var service = (Service)obj;
            service.Spec ??= new ServiceSpec();
            service.Spec.Type = "ClusterIP";
            service.Spec.Ports = [DesiredPort(targetPort)];
            return new Mutation(service, null);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsDesired(ServiceSpec? spec, int targetPort) =>
        spec is { Type: "ClusterIP", Ports: [{ Name: PortName, Protocol: "TCP", Port: ServicePort, NodePort: null, TargetPort: { } target }] }
        && target == IntOrString.FromInt(targetPort);

    private static ServicePort DesiredPort(int targetPort) =>
        new() { Name = PortName, Protocol = "TCP", Port = ServicePort, TargetPort = IntOrString.FromInt(targetPort) };

    private async Task ReconcileEndpointsAsync(List<ApiServerLease> live, CancellationToken cancellationToken)
    {
        var subsets = DesiredSubsets(live);
        var current = (Endpoints?)await _registry.FindAsync(Resources.Endpoints, Namespace, Name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            if (subsets.Count == 0)
            {
                return;
            }

            var endpoints = new Endpoints
            {
                // As Kubernetes: no EndpointSlice mirroring of these.
                Metadata = { Name = Name, Labels = new() { ["endpointslice.kubernetes.io/skip-mirror"] = "true" } },
                Subsets = subsets,
            };
            ObjectLifecycle.PrepareCreate(Resources.Endpoints, endpoints, Namespace, _options.Time.GetUtcNow());
            try
            {
                await _registry.CreateAsync(Resources.Endpoints, endpoints, cancellationToken).ConfigureAwait(false);
            }
            catch (StatusException e) when (e.Code == 409)
            {
                // Another apiserver made it first; the next round checks its content.
            }

            return;
        }

        if (Describe(current.Subsets) == Describe(subsets))
        {
            return;
        }

        await _registry.UpdateAsync(Resources.Endpoints, Namespace, Name, obj =>
        {
            ((Endpoints)obj).Subsets = subsets;
            return new Mutation(obj, null);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One subset per port (Kubernetes' servers share one port, so one subset of all their
    /// addresses; servers on one host differ by port), addresses and ports sorted.
    /// </summary>
    private static List<EndpointSubset> DesiredSubsets(List<ApiServerLease> live) =>
        live.GroupBy(l => l.Port)
            .OrderBy(g => g.Key)
            .Select(g => new EndpointSubset
            {
                Addresses = g.Select(l => l.Address).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                    .Select(a => new EndpointAddress { Ip = a }).ToList(),
                Ports = [new EndpointPort { Name = PortName, Port = g.Key, Protocol = "TCP" }],
            })
            .ToList();

    /// <summary>What the reconciler owns of the subsets, as text to compare.</summary>
    private static string Describe(List<EndpointSubset>? subsets) =>
        subsets is null ? "" : string.Join(';', subsets.Select(s =>
            string.Join(',', (s.Addresses ?? []).Select(a => a.Ip)) + "|" + string.Join(',', (s.NotReadyAddresses ?? []).Select(a => a.Ip))
            + "|" + string.Join(',', (s.Ports ?? []).Select(p => p.Name + "/" + p.Port.ToString(CultureInfo.InvariantCulture) + "/" + p.Protocol))));

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "kubernetes service: reconcile failed: {Error}; trying again next interval")]
    private static partial void LogFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "kubernetes service: could not remove this server's endpoints on stop: {Error}")]
    private static partial void LogRemoveFailed(ILogger logger, string error);
}
