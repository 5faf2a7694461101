using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.Pki;
using KubeProxyFast.Storage;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Reconcilers;

/// <summary>
/// ConfigMap <c>kube-system/extension-apiserver-authentication</c>, kept as kube-apiserver's
/// cluster-authentication-trust controller keeps it: key <c>client-ca-file</c> holds the PEM of the
/// CAs this server verifies client certificates against, so servers that delegate authentication
/// to it (the kubelets' API) trust the same client certificates. Written at start and put back every
/// interval when it is missing or edited; other keys are left as they are. A secured server only.
/// </summary>
internal sealed partial class AuthenticationConfigMap : IAsyncDisposable
{
    /// <summary>The ConfigMap's namespace.</summary>
    public const string Namespace = "kube-system";

    /// <summary>The ConfigMap's name.</summary>
    public const string Name = "extension-apiserver-authentication";

    /// <summary>The key of the client CA bundle.</summary>
    public const string ClientCaKey = "client-ca-file";

    // kube-apiserver's controller resyncs every minute.
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly ObjectRegistry _registry;
    private readonly string _clientCaPem;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private AuthenticationConfigMap(ObjectRegistry registry, X509Certificate2Collection clientCas, TimeProvider time, ILogger logger)
    {
        _registry = registry;
        _clientCaPem = PemFiles.Encode(clientCas);
        _time = time;
        _logger = logger;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Starts keeping the ConfigMap with the PEM of <paramref name="clientCas"/>.</summary>
    public static AuthenticationConfigMap Start(ObjectRegistry registry, X509Certificate2Collection clientCas, TimeProvider time, ILogger logger) =>
        new(registry, clientCas, time, logger);

    /// <summary>Stops the loop (the ConfigMap stays: other servers on the store publish the same CA).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>One round: creates the ConfigMap, or puts back its <c>client-ca-file</c>.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var current = (ConfigMap?)await _registry.FindAsync(Resources.ConfigMaps, Namespace, Name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            var map = new ConfigMap { Metadata = { Name = Name }, Data = new() { [ClientCaKey] = _clientCaPem } };
            ObjectLifecycle.PrepareCreate(Resources.ConfigMaps, map, Namespace, _time.GetUtcNow());
            try
            {
                await _registry.CreateAsync(Resources.ConfigMaps, map, cancellationToken).ConfigureAwait(false);
            }
            catch (StatusException e) when (e.Code == 409)
            {
                // Another server made it first; the next round checks its content.
            }

            return;
        }

        if (current.Data?.GetValueOrDefault(ClientCaKey) == _clientCaPem)
        {
            return;
        }

        await _registry.UpdateAsync(Resources.ConfigMaps, Namespace, Name, obj =>
        {
            var map = (ConfigMap)obj;
            map.Data ??= [];
            map.Data[ClientCaKey] = _clientCaPem;
            return new Mutation(map, null);
        }, cancellationToken).ConfigureAwait(false);
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
            catch (Exception e) when (e is StoreException or StatusException)
            {
                LogFailed(_logger, e.Message);
            }

            try
            {
                await Task.Delay(Interval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "extension-apiserver-authentication: reconcile failed: {Error}; trying again next interval")]
    private static partial void LogFailed(ILogger logger, string error);
}
