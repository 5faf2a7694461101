namespace KubeProxyFast.Dataplane.Netfilter.Sync;

/// <summary>How service traffic is steered by the rules we program.</summary>
public enum NetfilterMode
{
    /// <summary>The seed's userspace mode: REDIRECT to the proxy's local port for the service port.</summary>
    Userspace,

    /// <summary>Kernel mode: DNAT straight to an endpoint, chosen by the kernel.</summary>
    Kernel,
}
