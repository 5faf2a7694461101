namespace KubeProxyFast.Kubelet.Probes;

/// <summary>
/// The latest probe verdicts, by container instance (CRI container id). Kubernetes' defaults
/// apply when a container has no such probe: ready and started once running.
/// </summary>
public interface IProbeResults
{
    /// <summary>Whether the readiness probe (after the startup probe) has passed; false until its first success.</summary>
    bool IsReady(string containerId);

    /// <summary>Whether the startup probe has passed (true when there is none).</summary>
    bool IsStarted(string containerId);
}
