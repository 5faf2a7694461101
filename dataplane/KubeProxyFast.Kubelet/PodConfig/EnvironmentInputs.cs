using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;

namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>
/// What a container's environment is made from: the pod, the Services the kubelet knows when the
/// container is created, the addresses of the pod and the node, the node's allocatable resources
/// (the limits of a container that sets none), and the pod namespace's ConfigMaps and Secrets by
/// name (null when there is none of that name).
/// </summary>
public sealed record EnvironmentInputs
{
    /// <summary>The pod.</summary>
    public required Pod Pod { get; init; }

    /// <summary>The Services of every namespace the informer holds (only the pod's namespace and <c>default/kubernetes</c> count).</summary>
    public IReadOnlyList<Service> Services { get; init; } = [];

    /// <summary>The pod's IPs, first the primary (<c>status.podIP</c>).</summary>
    public IReadOnlyList<string> PodIPs { get; init; } = [];

    /// <summary>The node's IPs, first the primary (<c>status.hostIP</c>).</summary>
    public IReadOnlyList<string> HostIPs { get; init; } = [];

    /// <summary>The node's allocatable resources (<c>cpu</c>, <c>memory</c>, <c>ephemeral-storage</c>).</summary>
    public IReadOnlyDictionary<string, Quantity> NodeAllocatable { get; init; } = new Dictionary<string, Quantity>();

    /// <summary>A ConfigMap of the pod's namespace by name; null when it does not exist.</summary>
    public Func<string, ConfigMap?> GetConfigMap { get; init; } = _ => null;

    /// <summary>A Secret of the pod's namespace by name; null when it does not exist.</summary>
    public Func<string, Secret?> GetSecret { get; init; } = _ => null;
}
