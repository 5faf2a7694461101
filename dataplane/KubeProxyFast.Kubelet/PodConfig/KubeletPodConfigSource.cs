using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Kubelet.Cri.V1;
using KubeProxyFast.Kubelet.Pods;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>
/// The kubelet's <see cref="IPodConfigSource"/>: this folder's pieces (environment with service
/// links, DNS per dnsPolicy, volumes, Linux resources) fed from the informers' caches — the Services
/// of the pod's namespace and <c>default</c> as they are when a container is created (so a Service
/// created later is not in a running container's environment, as in Kubernetes), and the pod
/// namespace's ConfigMaps and Secrets.
/// </summary>
public sealed class KubeletPodConfigSource(
    PodDns dns,
    PodVolumes volumes,
    Lister<Service> services,
    Lister<ConfigMap> configMaps,
    Lister<Secret> secrets,
    Func<string?> hostIp,
    Func<IReadOnlyDictionary<string, Quantity>> nodeAllocatable,
    long memoryCapacityBytes) : IPodConfigSource
{
    /// <inheritdoc />
    public DNSConfig? Dns(Pod pod) => dns.For(pod).Config;

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValue>> EnvironmentAsync(Pod pod, Container container, string? podIp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata.Namespace ?? "default";
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
            GetConfigMap = name => configMaps.Get(ns, name),
            GetSecret = name => secrets.Get(ns, name),
        };
        IReadOnlyList<KeyValue> environment = ContainerEnvironment.ToCri(ContainerEnvironment.Build(inputs, container));
        return Task.FromResult(environment);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Mount>> MountsAsync(Pod pod, Container container, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata.Namespace ?? "default";
        volumes.SetUp(pod, name => configMaps.Get(ns, name), name => secrets.Get(ns, name));
        IReadOnlyList<Mount> mounts = volumes.Mounts(pod, container);
        return Task.FromResult(mounts);
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
