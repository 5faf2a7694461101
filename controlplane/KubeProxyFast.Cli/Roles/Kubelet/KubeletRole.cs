using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Client;
using KubeProxyFast.Kubelet;

namespace KubeProxyFast.Cli.Roles.Kubelet;

/// <summary>
/// The kubelet as a role: starts the <see cref="KubeProxyFast.Kubelet.Kubelet"/> (its runtime, its
/// Node registered, its pods run) and stops it. Serving once the Node is registered and the runtime
/// answers; not ready while the runtime stops answering (the Ready condition's message says why).
/// A Node that is not Ready because the pod network is not there yet does not make the role unready.
/// </summary>
internal sealed class KubeletRole : IRole
{
    private readonly KubeletOptions _options;
    private readonly Func<KubeClient> _connect;
    private volatile KubeProxyFast.Kubelet.Kubelet? _kubelet;
    private volatile bool _stopped;
    private KubeClient? _client;

    /// <summary>The role, configured by <paramref name="options"/>, reaching the apiserver through <paramref name="connect"/> when it starts.</summary>
    public KubeletRole(KubeletOptions options, Func<KubeClient> connect)
    {
        _options = options;
        _connect = connect;
    }

    /// <summary>What the role was configured with (flag tests read it).</summary>
    public KubeletOptions Options => _options;

    /// <inheritdoc/>
    public string Name => "kubelet";

    /// <inheritdoc/>
    public RoleHealth Health
    {
        get
        {
            if (_stopped)
            {
                return RoleHealth.Stopped;
            }

            if (_kubelet is not { } kubelet)
            {
                return RoleHealth.NotStarted;
            }

            return kubelet.Readiness is { Ready: false } readiness && readiness.Message.Contains("container runtime is down", StringComparison.Ordinal)
                ? RoleHealth.NotReady(readiness.Message)
                : RoleHealth.Serving;
        }
    }

    /// <inheritdoc/>
    public async Task StartAsync(RoleContext context, CancellationToken cancellationToken)
    {
        _client = _connect();
        try
        {
            var kubelet = await KubeProxyFast.Kubelet.Kubelet.StartAsync(_client, _options, context.LoggerFactory, cancellationToken).ConfigureAwait(false);
            kubelet.ReadinessChanged = _ => context.HealthChanged();
            _kubelet = kubelet;
            context.Print($"node {_options.NodeName} registered; runtime {kubelet.RuntimeEndpoint}; data in {_options.DataDirectory}");
        }
        catch (KubeletStartException e)
        {
            _client.Dispose();
            throw new RoleException($"cannot start: {e.Message}", e);
        }
        catch
        {
            _client.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        if (_kubelet is { } kubelet)
        {
            await kubelet.DisposeAsync().ConfigureAwait(false);
        }

        _client?.Dispose();
    }
}
