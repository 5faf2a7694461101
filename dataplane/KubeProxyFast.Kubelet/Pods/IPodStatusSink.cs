using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// Where the pod workers report what they found after each sync (the Pods/Status folder's
/// PodStatusManager, the probe manager). Called on the pod's worker, one call at a time per pod;
/// implementations return quickly and do their API writes elsewhere.
/// </summary>
public interface IPodStatusSink
{
    /// <summary>After a sync of a pod that runs (or waits to): its runtime state.</summary>
    void PodSynced(Pod pod, PodRuntimeState state);

    /// <summary>
    /// A pod being deleted (deletionTimestamp set) has all its containers stopped, its sandbox stopped
    /// and its volumes cleaned: the status may complete the deletion. Repeated on later syncs until
    /// the pod leaves the API.
    /// </summary>
    void PodTerminated(Pod pod, PodRuntimeState state);

    /// <summary>The pod's uid is gone from the node: forget it.</summary>
    void PodRemoved(string uid);
}
