using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Kubelet.Probes;

/// <summary>The container instance a probe runs against.</summary>
/// <param name="ContainerId">CRI container id (exec probes run in it).</param>
/// <param name="PodIP">The pod's IP, the host of httpGet and tcpSocket probes that name none.</param>
/// <param name="Ports">The container's declared ports, which named probe ports are resolved against.</param>
public sealed record ProbeTarget(string ContainerId, string? PodIP, IReadOnlyList<ContainerPort>? Ports);
