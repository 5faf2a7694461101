using Grpc.Core;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Cri.V1;
using ContainerState = KubeProxyFast.Kubelet.Cri.V1.ContainerState;

namespace KubeProxyFast.Kubelet.Pods;

public sealed partial class PodSyncer
{
    // deletionTimestamp set: stop every container with the grace period (in parallel), stop the
    // sandboxes, clean the volumes and the pod's cgroups; then the status may complete the delete.
    private async Task<PodSyncResult> TerminateAsync(Pod pod, RuntimePod current, CancellationToken ct)
    {
        await KillContainersAsync(pod, current, GracePeriod(pod), "the pod is being deleted", ct).ConfigureAwait(false);
        await StopSandboxesAsync(current, ct).ConfigureAwait(false);
        await _config.CleanupAsync(pod.Metadata.Uid!, ct).ConfigureAwait(false);
        current = await _pods.GetAsync(pod.Metadata.Uid!, pod.Metadata.Name ?? "", pod.Metadata.Namespace ?? "", ct).ConfigureAwait(false);
        return new PodSyncResult(StateOf(current, []), null, true);
    }

    /// <summary>
    /// Removes everything the runtime holds of pod <paramref name="uid"/> (gone from the API, or an
    /// orphan found at start): containers stopped (each with the grace period it was created with,
    /// or <paramref name="graceSeconds"/>), sandboxes stopped, both removed, volumes and cgroups cleaned.
    /// </summary>
    public async Task RemoveAsync(string uid, long? graceSeconds, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(uid);
        PodsLog.RemovingPod(_logger, uid);
        var current = await _pods.GetAsync(uid, "", "", ct).ConfigureAwait(false);
        var stops = new List<Task>();
        foreach (var (name, instances) in current.Containers)
        {
            foreach (var instance in instances)
            {
                if (instance.State == ContainerState.ContainerRunning)
                {
                    var grace = graceSeconds ?? GraceOf(instance, 30);
                    stops.Add(StopContainerAsync(null, name, instance.Id, grace, "its pod is gone", ct));
                }
            }
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
        foreach (var (_, instances) in current.Containers)
        {
            foreach (var instance in instances)
            {
                await RemoveContainerAsync(instance.Id, ct).ConfigureAwait(false);
            }
        }

        await StopSandboxesAsync(current, ct).ConfigureAwait(false);
        foreach (var sandbox in current.Sandboxes)
        {
            try
            {
                await _runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox.Id }, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
            }
        }

        await _config.CleanupAsync(uid, ct).ConfigureAwait(false);
        PodCgroups.Remove(_options.CgroupRoot, uid, _logger);
        Backoff.Forget(uid);
    }

    // Stops every running container of the pod, all at once, each with the grace period.
    private async Task KillContainersAsync(Pod pod, RuntimePod current, long graceSeconds, string why, CancellationToken ct)
    {
        var stops = new List<Task>();
        foreach (var (name, instances) in current.Containers)
        {
            foreach (var instance in instances)
            {
                if (instance.State is ContainerState.ContainerRunning or ContainerState.ContainerCreated)
                {
                    stops.Add(StopContainerAsync(pod, name, instance.Id, graceSeconds, why, ct));
                }
            }
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
    }

    private async Task StopSandboxesAsync(RuntimePod current, CancellationToken ct)
    {
        foreach (var sandbox in current.Sandboxes)
        {
            if (sandbox.State != PodSandboxState.SandboxReady)
            {
                continue;
            }

            try
            {
                await _runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox.Id }, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
            }
        }
    }
}
