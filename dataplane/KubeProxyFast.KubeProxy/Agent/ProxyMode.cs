namespace KubeProxyFast.KubeProxy.Agent;

/// <summary>How service traffic reaches its endpoints (kube-proxy's <c>--proxy-mode</c>).</summary>
public enum ProxyMode
{
    /// <summary>No netfilter: each service port listens on its own addresses (the standalone proxy).</summary>
    Direct,

    /// <summary>The seed's userspace mode: netfilter redirects service addresses to the proxy's local ports.</summary>
    Userspace,

    /// <summary>Netfilter DNATs service traffic straight to endpoints; no userspace hop.</summary>
    Kernel,
}
