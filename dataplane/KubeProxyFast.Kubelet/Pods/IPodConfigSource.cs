using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Cri.V1;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// What a pod's configuration contributes to the CRI configs (the PodConfig folder's work): DNS,
/// environment, mounts (volumes set up on the way), Linux resources, <c>$(VAR)</c> expansion, and
/// the volumes' cleanup when the pod goes. A container that cannot be configured throws
/// <see cref="PodConfig.ContainerConfigException"/> (it then waits as CreateContainerConfigError).
/// </summary>
public interface IPodConfigSource
{
    /// <summary>The sandbox's DNS config for the pod's dnsPolicy; null leaves the runtime's default.</summary>
    DNSConfig? Dns(Pod pod);

    /// <summary>The container's environment, in order, values resolved (service links, fieldRefs, …).</summary>
    Task<IReadOnlyList<KeyValue>> EnvironmentAsync(Pod pod, Container container, string? podIp, CancellationToken ct);

    /// <summary>The container's mounts, with the pod's volumes made ready on the node first.</summary>
    Task<IReadOnlyList<Mount>> MountsAsync(Pod pod, Container container, CancellationToken ct);

    /// <summary>The container's Linux resources (CPU shares/quota/period, memory limit); null for none.</summary>
    LinuxContainerResources? Resources(Pod pod, Container container);

    /// <summary>Kubernetes' <c>$(VAR)</c> expansion of a command or argument against the container's environment.</summary>
    string Expand(string value, IReadOnlyList<KeyValue> environment);

    /// <summary>Removes what the pod's volumes left on the node (the pod is gone).</summary>
    Task CleanupAsync(string podUid, CancellationToken ct);
}
