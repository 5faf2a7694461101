using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Probes;

namespace KubeProxyFast.Kubelet.Pods.Status;

/// <summary>
/// The pod workers' <see cref="IPodStatusSink"/> on this folder: each sync's runtime state becomes
/// a status (built on the manager's newest one) handed to the <see cref="PodStatusManager"/>; a
/// stopped pod gets its terminal status and its deletion completed; a removed one is forgotten.
/// Returns at once; the writes happen on the manager's writers.
/// </summary>
/// <param name="manager">Where statuses go.</param>
/// <param name="builder">How they are made (its runtime name prefixes container IDs).</param>
/// <param name="probes">The probes' verdicts (the probe manager).</param>
/// <param name="hostIP">The node's InternalIP when asked (null while unknown).</param>
/// <param name="time">The clock of transition and start times.</param>
public sealed class PodStatusSink(PodStatusManager manager, PodStatusBuilder builder, IProbeResults probes, Func<string?> hostIP, TimeProvider? time = null)
    : IPodStatusSink
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc/>
    public void PodSynced(Pod pod, PodRuntimeState state) => manager.SetPodStatus(pod, Build(pod, state, podIsTerminal: false));

    /// <inheritdoc/>
    public void PodTerminated(Pod pod, PodRuntimeState state)
    {
        // Kubernetes' last sync of a stopped pod (podIsTerminal), then TerminatePod.
        manager.SetPodStatus(pod, Build(pod, state, podIsTerminal: true));
        manager.PodTerminated(pod);
    }

    /// <inheritdoc/>
    public void PodRemoved(string uid) => manager.ForgetPod(uid);

    private PodStatus Build(Pod pod, PodRuntimeState state, bool podIsTerminal)
    {
        var old = pod.Metadata.Uid is { Length: > 0 } uid && manager.TryGetPodStatus(uid, out var newest) ? newest : null;
        return builder.Build(pod, state, probes, hostIP(), _time.GetUtcNow(), old, podIsTerminal);
    }
}
