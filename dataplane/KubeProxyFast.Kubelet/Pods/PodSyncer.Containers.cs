using System.Globalization;
using Grpc.Core;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Cri.V1;
using ContainerState = KubeProxyFast.Kubelet.Cri.V1.ContainerState;
using ContainerStatus = KubeProxyFast.Kubelet.Cri.V1.ContainerStatus;
using KubeProxyFast.Kubelet.PodConfig;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.Pods;

public sealed partial class PodSyncer
{
    // One container of the spec: start it, restart it, or leave it; returns when to look again.
    private async Task<TimeSpan?> SyncContainerAsync(
        Pod pod, Container container, RuntimePod current, string sandboxId, PodSandboxConfig sandboxConfig,
        string? podIp, IReadOnlyCollection<string> livenessFailed, Dictionary<string, ContainerWaiting> waiting, CancellationToken ct)
    {
        var uid = pod.Metadata.Uid!;
        var instances = current.Containers.TryGetValue(container.Name, out var list) ? list : [];
        var newest = instances.Count > 0 ? instances[0] : null;
        // A container is current only in the current sandbox; instances of an older one count for the attempt number.
        uint attempt = newest is null ? 0 : newest.Metadata.Attempt + 1;
        var restartBackoff = true;
        if (newest is not null && newest.State == ContainerState.ContainerRunning)
        {
            string? why = null;
            if (livenessFailed.Contains(newest.Id))
            {
                why = "liveness probe failed";
            }
            else if (newest.Annotations.TryGetValue(KubeletLabels.ContainerHash, out var hash) && hash != ContainerConfigBuilder.Hash(container))
            {
                why = "its spec changed";
                restartBackoff = false;
            }

            if (why is null)
            {
                return null;
            }

            await StopContainerAsync(pod, container.Name, newest.Id, GracePeriod(pod), why, ct).ConfigureAwait(false);
            if (restartBackoff && !ShouldRestart(pod, exitCode: 1))
            {
                return null; // restartPolicy Never: a killed container stays dead
            }

            // A liveness kill counts as a failure for the back-off from now.
            if (restartBackoff)
            {
                Backoff.Next(uid, container.Name, _time.GetUtcNow());
            }
        }
        else if (newest is not null && newest.State == ContainerState.ContainerCreated)
        {
            // Created but never started (a start that failed, or a kubelet stopped in between): start it now.
            return await StartAsync(pod, container, newest.Id, newest.Metadata.Attempt, waiting, ct).ConfigureAwait(false);
        }
        else if (newest is not null)
        {
            if (!ShouldRestart(pod, newest.ExitCode))
            {
                return null;
            }

            var finished = newest.FinishedAt > 0 ? FromNanos(newest.FinishedAt) : _time.GetUtcNow();
            if (Backoff.IsInBackOff(uid, container.Name, finished, out var backoff, out var remaining))
            {
                Wait(pod, container.Name, waiting, "CrashLoopBackOff",
                    ContainerBackoff.Message(backoff, container.Name, pod.Metadata.Name ?? "", pod.Metadata.Namespace ?? "", uid));
                return remaining;
            }

            Backoff.Next(uid, container.Name, finished);
        }

        return await CreateAndStartAsync(pod, container, sandboxId, sandboxConfig, attempt, podIp, waiting, ct).ConfigureAwait(false);
    }

    private async Task<TimeSpan?> CreateAndStartAsync(
        Pod pod, Container container, string sandboxId, PodSandboxConfig sandboxConfig, uint attempt,
        string? podIp, Dictionary<string, ContainerWaiting> waiting, CancellationToken ct)
    {
        var image = await _ensureImage(pod, container, sandboxConfig, ct).ConfigureAwait(false);
        if (!image.Succeeded)
        {
            Wait(pod, container.Name, waiting, image.Reason ?? "ErrImagePull", image.Message);
            return ImageRetry;
        }

        ContainerConfig config;
        try
        {
            config = await _containers.BuildAsync(pod, container, attempt, image.ImageRef!, podIp, ct).ConfigureAwait(false);
        }
        catch (ContainerConfigException e)
        {
            Wait(pod, container.Name, waiting, "CreateContainerConfigError", e.Message);
            return ConfigRetry;
        }

        string id;
        try
        {
            var created = await _runtime.CreateContainerAsync(new CreateContainerRequest
            {
                PodSandboxId = sandboxId,
                Config = config,
                SandboxConfig = sandboxConfig,
            }, cancellationToken: ct).ConfigureAwait(false);
            id = created.ContainerId;
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            Wait(pod, container.Name, waiting, "CreateContainerError", e.Status.Detail);
            return ConfigRetry;
        }

        return await StartAsync(pod, container, id, attempt, waiting, ct).ConfigureAwait(false);
    }

    private async Task<TimeSpan?> StartAsync(Pod pod, Container container, string id, uint attempt, Dictionary<string, ContainerWaiting> waiting, CancellationToken ct)
    {
        try
        {
            await _runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id }, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            // The instance exists and exited (or never ran): the next sync restarts it by the policy.
            Wait(pod, container.Name, waiting, "RunContainerError", e.Status.Detail);
            return ConfigRetry;
        }

        PodsLog.ContainerStarted(_logger, pod.Metadata.Namespace, pod.Metadata.Name, container.Name, id, attempt);
        return null;
    }

    private void Wait(Pod pod, string container, Dictionary<string, ContainerWaiting> waiting, string reason, string? message)
    {
        waiting[container] = new ContainerWaiting(reason, message);
        PodsLog.ContainerWaiting(_logger, pod.Metadata.Namespace, pod.Metadata.Name, container, reason, message);
    }

    private async Task StopContainerAsync(Pod? pod, string name, string id, long graceSeconds, string why, CancellationToken ct)
    {
        PodsLog.StoppingContainer(_logger, pod?.Metadata.Namespace, pod?.Metadata.Name, name, id, graceSeconds, why);
        try
        {
            // The runtime sends SIGTERM (or the image's stop signal), waits the timeout, then SIGKILL.
            await _runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = graceSeconds }, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // Already gone.
        }
    }

    // Keeps the newest instance of each container and the one before it (the status's lastState); removes older exited ones.
    private async Task RemoveOldInstancesAsync(RuntimePod current, CancellationToken ct)
    {
        foreach (var (_, instances) in current.Containers)
        {
            for (var i = 2; i < instances.Count; i++)
            {
                if (instances[i].State is ContainerState.ContainerExited or ContainerState.ContainerCreated or ContainerState.ContainerUnknown)
                {
                    await RemoveContainerAsync(instances[i].Id, ct).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task RemoveContainerAsync(string id, CancellationToken ct)
    {
        try
        {
            await _runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = id }, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
        }
    }

    private static long GraceOf(ContainerStatus status, long fallback) =>
        status.Annotations.TryGetValue(KubeletLabels.PodTerminationGracePeriod, out var text) &&
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var grace)
            ? Math.Max(grace, MinimumGracePeriodSeconds)
            : fallback;
}
