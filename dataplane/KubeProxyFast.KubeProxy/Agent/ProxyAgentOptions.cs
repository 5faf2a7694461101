using System.Net;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.KubeProxy.Config;
using KubeProxyFast.KubeProxy.Metrics;

namespace KubeProxyFast.KubeProxy.Agent;

/// <summary>Settings of the standalone proxy (<c>kpf proxy --config</c>).</summary>
public sealed record ProxyAgentOptions
{
    /// <summary>The file of Services and Endpoints to serve.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The engine's settings; its listen mode is forced to <see cref="ListenMode.Direct"/>.</summary>
    public ProxyEngineOptions Engine { get; init; } = new();

    /// <summary>How the config file is watched.</summary>
    public ConfigFileSourceOptions Config { get; init; } = new();

    /// <summary>Where <c>/metrics</c> and <c>/healthz</c> are served; null for nowhere. Default 127.0.0.1:10249, as kube-proxy.</summary>
    public IPEndPoint? MetricsBindAddress { get; init; } = new(IPAddress.Loopback, MetricsServer.DefaultPort);
}
