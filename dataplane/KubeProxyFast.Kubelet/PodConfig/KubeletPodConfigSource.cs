using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Kubelet.Cri.V1;
using KubeProxyFast.Kubelet.Pods;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>
/// The kubelet's <see cref="IPodConfigSource"/>: this folder's pieces (environment with service
/// links, DNS per dnsPolicy, volumes, Linux resources) fed from the Services informer's cache — the
/// Services of the pod's namespace and <c>default</c> as they are when a container is created (so a
/// Service created later is not in a running container's environment, as in Kubernetes) — and from
/// the ConfigMaps and Secrets the pod refers to, read by name when a container is set up
/// (<see cref="PodObjectReader"/>).
/// </summary>
public sealed class KubeletPodConfigSource(
    PodDns dns,
    PodVolumes volumes,
    Lister<Service> services,
    PodObjectReader objects,
    Func<string?> hostIp,
    Func<IReadOnlyDictionary<string, Quantity>> nodeAllocatable,
    long memoryCapacityBytes) : IPodConfigSource
{
    /// <inheritdoc />
    public DNSConfig? Dns(Pod pod) => dns.For(pod).Config;

    /// <inheritdoc />
    public async Task<IReadOnlyList<KeyValue>> EnvironmentAsync(Pod pod, Container container, string? podIp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata.Namespace ?? "default";
        var referenced = await objects.ReadAsync(pod, ct).ConfigureAwait(false);
        var inputs = new EnvironmentInputs
        {
            Pod = pod,
            // The namespace index: only these two namespaces' Services are decoded, not the cluster's.
            Services = ns == "default"
                ? services.ByIndex(IndexNames.Namespace, ns)
                : [.. services.ByIndex(IndexNames.Namespace, ns), .. services.ByIndex(IndexNames.Namespace, "default")],
            PodIPs = podIp is null ? [] : [podIp],
            HostIPs = hostIp() is { } host ? [host] : [],
            NodeAllocatable = nodeAllocatable(),
            GetConfigMap = referenced.ConfigMap,
            GetSecret = referenced.Secret,
        };
        return ContainerEnvironment.ToCri(ContainerEnvironment.Build(inputs, container));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Mount>> MountsAsync(Pod pod, Container container, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var referenced = await objects.ReadAsync(pod, ct).ConfigureAwait(false);
        volumes.SetUp(pod, referenced.ConfigMap, referenced.Secret);
        return volumes.Mounts(pod, container);
    }

    /// <inheritdoc />
    public LinuxContainerResources? Resources(Pod pod, Container container) =>
        ContainerResources.For(pod, container, memoryCapacityBytes);

    /// <inheritdoc />
    public string Expand(string value, IReadOnlyList<KeyValue> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return EnvExpansion.Expand(value, name =>
        {
            // The last definition of a name wins, as in the container's environment.
            for (var i = environment.Count - 1; i >= 0; i--)
            {
                if (environment[i].Key == name)
                {
                    return environment[i].Value.ToStringUtf8();
                }
            }

            return null;
        });
    }

    /// <inheritdoc />
    public Task CleanupAsync(string podUid, CancellationToken ct)
    {
        volumes.TearDown(podUid);
        return Task.CompletedTask;
    }
}
