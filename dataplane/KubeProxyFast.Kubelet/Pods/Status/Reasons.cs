namespace KubeProxyFast.Kubelet.Pods.Status;

/// <summary>Kubernetes' reasons in container states and pod conditions, by their Kubernetes names.</summary>
public static class Reasons
{
    /// <summary>Waiting: the sandbox or container is being created.</summary>
    public const string ContainerCreating = "ContainerCreating";

    /// <summary>Waiting: the image pull failed.</summary>
    public const string ErrImagePull = "ErrImagePull";

    /// <summary>Waiting: the image pull failed and is backing off.</summary>
    public const string ImagePullBackOff = "ImagePullBackOff";

    /// <summary>Waiting: the container keeps exiting and its restart is backing off.</summary>
    public const string CrashLoopBackOff = "CrashLoopBackOff";

    /// <summary>Waiting: the container's configuration (env, mounts) could not be made.</summary>
    public const string CreateContainerConfigError = "CreateContainerConfigError";

    /// <summary>Waiting: the runtime failed to create or start the container.</summary>
    public const string RunContainerError = "RunContainerError";

    /// <summary>Terminated with exit code 0.</summary>
    public const string Completed = "Completed";

    /// <summary>Terminated with a non-zero exit code.</summary>
    public const string Error = "Error";

    /// <summary>Terminated by the kernel's OOM killer (from the runtime).</summary>
    public const string OOMKilled = "OOMKilled";

    /// <summary>Terminated, but the runtime lost the container (exit code 137).</summary>
    public const string ContainerStatusUnknown = "ContainerStatusUnknown";

    /// <summary>Condition reason: the pod succeeded.</summary>
    public const string PodCompleted = "PodCompleted";

    /// <summary>Condition reason: the pod failed.</summary>
    public const string PodFailed = "PodFailed";

    /// <summary>Condition reason: some container is not ready.</summary>
    public const string ContainersNotReady = "ContainersNotReady";
}

/// <summary>Condition types of the kubelet beyond <see cref="Api.Core.PodConditionTypes"/>.</summary>
public static class ConditionTypes
{
    /// <summary>The sandbox exists with its network: containers can start (Kubernetes 1.29+, on by default).</summary>
    public const string PodReadyToStartContainers = "PodReadyToStartContainers";
}
