using KubeProxyFast.Kubelet.PodConfig;
using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Api.Core;
using PodSandboxState = KubeProxyFast.Kubelet.Cri.V1.PodSandboxState;
using PodSandboxStatus = KubeProxyFast.Kubelet.Cri.V1.PodSandboxStatus;
using KubeProxyFast.Kubelet.Probes;

namespace KubeProxyFast.Kubelet.Pods.Status;

/// <summary>
/// Turns what the runtime holds for a pod (<see cref="PodRuntimeState"/>) and the probes' verdicts
/// into the v1 <see cref="PodStatus"/> the kubelet reports, as Kubernetes' kubelet computes it
/// (<c>generateAPIPodStatus</c>, <c>getPhase</c>, <c>convertToAPIContainerStatuses</c> and
/// <c>pkg/kubelet/status/generate.go</c>): phase, the kubelet's conditions with transition times
/// kept while their status holds, pod and host IPs, start time, QoS class and container statuses.
/// Pure: the same inputs give the same status. Thread-safe.
/// </summary>
/// <param name="runtimeName">The runtime's name, the scheme of container IDs (<c>containerd://&lt;id&gt;</c>), from CRI Version's <c>runtime_name</c>.</param>
public sealed partial class PodStatusBuilder(string runtimeName = "containerd")
{
    /// <summary>The runtime's name used as the scheme of container IDs.</summary>
    public string RuntimeName { get; } = runtimeName;

    /// <summary>
    /// The status of <paramref name="pod"/> now. <paramref name="oldStatus"/> is the basis (the status
    /// manager's latest, see <see cref="PodStatusManager.TryGetPodStatus"/>); the pod's own status
    /// from the API when null. Its conditions' transition times, start time, terminal phase, phase
    /// reason/message and container restart history carry over as Kubernetes carries them.
    /// </summary>
    /// <param name="pod">The pod as the API has it.</param>
    /// <param name="runtime">What the runtime holds for it, as the pod worker observed.</param>
    /// <param name="probes">The probes' verdicts by container id.</param>
    /// <param name="hostIP">The node's InternalIP, or null when not known.</param>
    /// <param name="now">The time of this status (transition times, start time); truncated to seconds, as the API keeps them.</param>
    /// <param name="oldStatus">The previous status; <c>pod.Status</c> when null.</param>
    /// <param name="podIsTerminal">
    /// True once the pod worker has stopped the pod for good (deleted, or finished and not to be restarted):
    /// containers all stopped then give Succeeded or Failed whatever the restart policy.
    /// </param>
    public PodStatus Build(
        Pod pod, PodRuntimeState runtime, IProbeResults probes, string? hostIP, DateTimeOffset now,
        PodStatus? oldStatus = null, bool podIsTerminal = false)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(probes);
        now = StatusTimes.Seconds(now);
        var apiStatus = pod.Status ?? new PodStatus();
        var old = oldStatus ?? apiStatus;
        var spec = pod.Spec ?? new PodSpec();

        var status = new PodStatus
        {
            QosClass = ContainerResources.QosClass(pod),
            HostIP = string.IsNullOrEmpty(hostIP) ? null : hostIP,
            StartTime = old.StartTime ?? now,
        };
        SetPodIPs(status, runtime.Sandbox, old, spec, hostIP);
        status.ContainerStatuses = BuildContainerStatuses(pod, runtime, probes, old);

        status.Phase = Phase(spec, status.ContainerStatuses, podIsTerminal);
        if (status.Phase is not (PodPhases.Succeeded or PodPhases.Failed))
        {
            // A terminal phase is for ever: the status manager's or the API's wins.
            if (old.Phase is PodPhases.Succeeded or PodPhases.Failed)
            {
                status.Phase = old.Phase;
            }
            else if (apiStatus.Phase is PodPhases.Succeeded or PodPhases.Failed)
            {
                status.Phase = apiStatus.Phase;
            }
        }

        if (status.Phase == old.Phase)
        {
            // The reason and message belong to the phase (e.g. Evicted): kept while it holds.
            status.Reason = string.IsNullOrEmpty(old.Reason) ? apiStatus.Reason : old.Reason;
            status.Message = string.IsNullOrEmpty(old.Message) ? apiStatus.Message : old.Message;
        }

        if (apiStatus.Phase is PodPhases.Succeeded or PodPhases.Failed)
        {
            status.Phase = apiStatus.Phase;
        }

        status.Conditions = BuildConditions(pod, apiStatus, status, runtime.Sandbox);
        KeepTransitionTimes(status, old, now);
        return status;
    }

    /// <summary>
    /// Pod IPs from the newest sandbox while it is ready (IPv4 first, then the first IPv6, as
    /// <c>sortPodIPs</c> does for an IPv4 node); once no sandbox is ready the last known IPs stay, so a
    /// finished pod keeps its address (Kubernetes #47806, #125370). Host-network pods take the node's IP.
    /// </summary>
    private static void SetPodIPs(PodStatus status, PodSandboxStatus? sandbox, PodStatus old, PodSpec spec, string? hostIP)
    {
        var ips = new List<string>(2);
        if (sandbox is { State: PodSandboxState.SandboxReady, Network: { } network })
        {
            var all = new List<string>();
            if (!string.IsNullOrEmpty(network.Ip))
            {
                all.Add(network.Ip);
            }

            all.AddRange(network.AdditionalIps.Select(ip => ip.Ip).Where(ip => !string.IsNullOrEmpty(ip)));
            AddFirstOfFamily(ips, all, AddressFamily.InterNetwork);
            AddFirstOfFamily(ips, all, AddressFamily.InterNetworkV6);
        }

        if (ips.Count == 0 && sandbox is not { State: PodSandboxState.SandboxReady } && old.PodIPs is { Count: > 0 } known)
        {
            ips.AddRange(known.Select(ip => ip.Ip ?? "").Where(ip => ip.Length > 0));
        }

        if (ips.Count == 0 && spec.HostNetwork == true && !string.IsNullOrEmpty(hostIP))
        {
            ips.Add(hostIP);
        }

        if (ips.Count > 0)
        {
            status.PodIP = ips[0];
            status.PodIPs = [.. ips.Select(ip => new PodIP { Ip = ip })];
        }
    }

    private static void AddFirstOfFamily(List<string> into, List<string> candidates, AddressFamily family)
    {
        foreach (var candidate in candidates)
        {
            if (IPAddress.TryParse(candidate, out var address) && address.AddressFamily == family)
            {
                // Re-formatted, as Kubernetes re-stringifies what CRI returns.
                into.Add(address.ToString());
                return;
            }
        }
    }

    /// <summary>
    /// Kubernetes' <c>getPhase</c> for a pod without init containers: any container waiting (never
    /// started) → Pending; all known and one running → Running; none running and some stopped →
    /// Succeeded/Failed when terminal, else by restart policy (Always → Running; all exit 0 →
    /// Succeeded; Never → Failed; OnFailure → Running); otherwise Pending.
    /// </summary>
    internal static string Phase(PodSpec spec, IReadOnlyList<ContainerStatus> statuses, bool podIsTerminal)
    {
        int unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0;
        foreach (var container in spec.Containers ?? [])
        {
            var status = statuses.FirstOrDefault(s => s.Name == container.Name);
            if (status?.State is null)
            {
                unknown++;
            }
            else if (status.State.Running is not null)
            {
                running++;
            }
            else if (status.State.Terminated is { } terminated)
            {
                stopped++;
                if (terminated.ExitCode == 0)
                {
                    succeeded++;
                }
            }
            else if (status.State.Waiting is not null)
            {
                if (status.LastState?.Terminated is not null)
                {
                    stopped++;
                }
                else
                {
                    waiting++;
                }
            }
            else
            {
                unknown++;
            }
        }

        if (waiting > 0)
        {
            return PodPhases.Pending;
        }

        if (running > 0 && unknown == 0)
        {
            return PodPhases.Running;
        }

        if (running == 0 && stopped > 0 && unknown == 0)
        {
            if (podIsTerminal)
            {
                return stopped == succeeded ? PodPhases.Succeeded : PodPhases.Failed;
            }

            var policy = spec.RestartPolicy ?? RestartPolicies.Always;
            if (policy == RestartPolicies.Always)
            {
                return PodPhases.Running;
            }

            if (stopped == succeeded)
            {
                return PodPhases.Succeeded;
            }

            return policy == RestartPolicies.Never ? PodPhases.Failed : PodPhases.Running;
        }

        return PodPhases.Pending;
    }
}
