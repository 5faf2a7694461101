using System.Net;
using KubeProxyFast.Dataplane.Netfilter.Sync;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.KubeProxy.Config;
using KubeProxyFast.KubeProxy.Metrics;

namespace KubeProxyFast.KubeProxy.Agent;

/// <summary>Settings of the standalone proxy (<c>kpf proxy --config</c>).</summary>
public sealed record ProxyAgentOptions
{
    /// <summary>The file of Services and Endpoints to serve.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>How traffic reaches endpoints; <see cref="ProxyMode.Direct"/> by default.</summary>
    public ProxyMode Mode { get; init; } = ProxyMode.Direct;

    /// <summary>The engine's settings; its listen mode follows <see cref="Mode"/>.</summary>
    public ProxyEngineOptions Engine { get; init; } = new();

    /// <summary>The netfilter loop's settings in userspace and kernel mode (its own mode follows <see cref="Mode"/>).</summary>
    public NetfilterSyncLoopOptions Netfilter { get; init; } = new();

    /// <summary>How the config file is watched.</summary>
    public ConfigFileSourceOptions Config { get; init; } = new();

    /// <summary>Where <c>/metrics</c> and <c>/healthz</c> are served; null for nowhere. Default 127.0.0.1:10249, as kube-proxy.</summary>
    public IPEndPoint? MetricsBindAddress { get; init; } = new(IPAddress.Loopback, MetricsServer.DefaultPort);
}
