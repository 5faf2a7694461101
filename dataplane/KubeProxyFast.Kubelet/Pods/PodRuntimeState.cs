using KubeProxyFast.Kubelet.Cri.V1;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// What the runtime holds for one pod at one moment, as the pod worker observed it: the newest
/// sandbox and, per container name, its instances newest first; plus why a container the pod wants
/// is not running (the waiting reason the status reports: ContainerCreating, ErrImagePull,
/// ImagePullBackOff, CrashLoopBackOff, CreateContainerConfigError, …).
/// </summary>
/// <param name="Sandbox">The newest sandbox, or null before one exists.</param>
/// <param name="Containers">Every instance of each container, newest (highest attempt) first.</param>
/// <param name="Waiting">Why a container is not running, by container name; absent when it is or there is no reason to give.</param>
public sealed record PodRuntimeState(
    PodSandboxStatus? Sandbox,
    IReadOnlyDictionary<string, IReadOnlyList<ContainerStatus>> Containers,
    IReadOnlyDictionary<string, ContainerWaiting> Waiting);

/// <summary>A container's waiting reason and message, in Kubernetes' words.</summary>
public sealed record ContainerWaiting(string Reason, string? Message);
