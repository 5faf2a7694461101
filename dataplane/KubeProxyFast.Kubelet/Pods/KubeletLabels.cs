namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// The labels and annotations the kubelet puts on CRI sandboxes and containers. They are
/// Kubernetes' own names, so that a restarted kubelet finds its pods by them (adoption), and so that
/// containerd's CRI plugin and tools that read them (crictl, log collectors) see what they expect.
/// </summary>
public static class KubeletLabels
{
    /// <summary>Sandbox and container label: the pod's name.</summary>
    public const string PodName = "io.kubernetes.pod.name";

    /// <summary>Sandbox and container label: the pod's namespace.</summary>
    public const string PodNamespace = "io.kubernetes.pod.namespace";

    /// <summary>Sandbox and container label: the pod's uid.</summary>
    public const string PodUid = "io.kubernetes.pod.uid";

    /// <summary>Container label: the container's name in the pod spec.</summary>
    public const string ContainerName = "io.kubernetes.container.name";

    /// <summary>Container annotation: how many times the container has restarted.</summary>
    public const string ContainerRestartCount = "io.kubernetes.container.restartCount";

    /// <summary>Container annotation: the pod's terminationGracePeriodSeconds when it was created.</summary>
    public const string PodTerminationGracePeriod = "io.kubernetes.pod.terminationGracePeriod";

    /// <summary>Container annotation: a hash of the container's spec (a changed spec restarts it).</summary>
    public const string ContainerHash = "io.kubernetes.container.hash";

    /// <summary>Sandbox label marking what this kubelet manages (Kubernetes': <c>io.kubernetes.docker.type=podsandbox</c>-era tools filter on it).</summary>
    public const string ManagedBy = "io.kpf.managed";
}
