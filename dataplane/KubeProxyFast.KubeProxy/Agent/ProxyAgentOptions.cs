using System.Net;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.KubeProxy.Config;
using KubeProxyFast.KubeProxy.Metrics;
using KubeProxyFast.KubeProxy.Netfilter;
using KubeProxyFast.KubeProxy.Pipeline;
using KubeProxyFast.KubeProxy.Sources.ApiServer;

namespace KubeProxyFast.KubeProxy.Agent;

/// <summary>
/// Settings of the proxy: <c>kpf proxy --config FILE</c> (set <see cref="ConfigPath"/>) or
/// <c>kpf proxy --kubeconfig FILE</c> / <c>--master URL</c> (set <see cref="Kubeconfig"/> and/or
/// <see cref="Master"/>); exactly one of the two sources.
/// </summary>
public sealed record ProxyAgentOptions
{
    /// <summary>The file of Services and Endpoints to serve; null when they come from an apiserver.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The kubeconfig naming the apiserver to take Services and Endpoints from; null for none.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The apiserver's URL; overrides the kubeconfig's server, as kube-proxy's <c>--master</c>.</summary>
    public Uri? Master { get; init; }

    /// <summary>How traffic reaches endpoints; <see cref="ProxyMode.Direct"/> by default.</summary>
    public ProxyMode Mode { get; init; } = ProxyMode.Direct;

    /// <summary>The engine's settings; its listen mode follows <see cref="Mode"/>.</summary>
    public ProxyEngineOptions Engine { get; init; } = new();

    /// <summary>
    /// The netfilter loop's settings in userspace and kernel mode (its own mode follows
    /// <see cref="Mode"/>; its periods follow <see cref="Sync"/>, as the pipeline bounds how often it syncs).
    /// </summary>
    public NetfilterSyncLoopOptions Netfilter { get; init; } = new();

    /// <summary>How often the proxy syncs (<c>--min-sync-period</c>, <c>--sync-period</c>).</summary>
    public ProxyPipelineOptions Sync { get; init; } = new();

    /// <summary>How the config file is watched.</summary>
    public ConfigFileSourceOptions Config { get; init; } = new();

    /// <summary>How the apiserver is watched.</summary>
    public ApiServerSourceOptions ApiServer { get; init; } = new();

    /// <summary>Where <c>/metrics</c> and <c>/healthz</c> are served; null for nowhere. Default 127.0.0.1:10249, as kube-proxy.</summary>
    public IPEndPoint? MetricsBindAddress { get; init; } = new(IPAddress.Loopback, MetricsServer.DefaultPort);

    /// <summary>Throws <see cref="ProxyStartException"/> unless exactly one source is given.</summary>
    public void ValidateSource()
    {
        var apiserver = Kubeconfig is not null || Master is not null;
        if (ConfigPath is not null && apiserver)
        {
            throw new ProxyStartException("--config and --kubeconfig/--master are two sources: give one (a file, or an apiserver)");
        }

        if (ConfigPath is null && !apiserver)
        {
            throw new ProxyStartException("no source: give --config FILE (Services and Endpoints in a file) or --kubeconfig FILE / --master URL (from an apiserver)");
        }
    }
}
