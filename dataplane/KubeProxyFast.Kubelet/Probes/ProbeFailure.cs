namespace KubeProxyFast.Kubelet.Probes;

/// <summary>
/// A container instance whose liveness or startup probe failed <c>failureThreshold</c> times in a
/// row: the pod worker kills and restarts it (restart policy permitting).
/// </summary>
/// <param name="PodUid">The pod's UID.</param>
/// <param name="ContainerName">The container's name in the pod spec.</param>
/// <param name="ContainerId">The CRI id of the failing instance (a restarted instance has another).</param>
/// <param name="Kind"><see cref="ProbeKind.Liveness"/> or <see cref="ProbeKind.Startup"/>.</param>
/// <param name="Message">The last probe's message (output, HTTP status, error).</param>
public sealed record ProbeFailure(string PodUid, string ContainerName, string ContainerId, ProbeKind Kind, string Message)
{
    /// <summary>Kubernetes' event text: <c>Container app failed liveness probe, will be restarted</c>.</summary>
    public string Reason => $"Container {ContainerName} failed {(Kind == ProbeKind.Startup ? "startup" : "liveness")} probe, will be restarted";
}
