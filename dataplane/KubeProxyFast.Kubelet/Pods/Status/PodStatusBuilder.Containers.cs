using System.Globalization;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Probes;
using ApiContainerStatus = KubeProxyFast.Api.Core.ContainerStatus;
using CriContainerStatus = KubeProxyFast.Kubelet.Cri.V1.ContainerStatus;
using CriState = KubeProxyFast.Kubelet.Cri.V1.ContainerState;

namespace KubeProxyFast.Kubelet.Pods.Status;

public sealed partial class PodStatusBuilder
{
    /// <summary>
    /// Kubernetes' <c>convertToAPIContainerStatuses</c> for the pod's containers: a default waiting
    /// state (<c>ContainerCreating</c>) with the restart count and last state of the previous status;
    /// the newest instance's state, the one before it as <c>lastState</c>; then, for a container
    /// the kubelet will (re)start, the pod worker's waiting reason (ErrImagePull, CrashLoopBackOff, …)
    /// with the exited instance moved to <c>lastState</c>. Ready and started as the probe manager sets them.
    /// Sorted by name, as Kubernetes sorts them (<c>SortedContainerStatuses</c>).
    /// </summary>
    private List<ApiContainerStatus> BuildContainerStatuses(Pod pod, PodRuntimeState runtime, IProbeResults probes, PodStatus old)
    {
        var oldByName = new Dictionary<string, ApiContainerStatus>(StringComparer.Ordinal);
        foreach (var previous in old.ContainerStatuses ?? [])
        {
            oldByName[previous.Name] = previous;
        }

        var result = new List<ApiContainerStatus>();
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            oldByName.TryGetValue(container.Name, out var previous);
            runtime.Containers.TryGetValue(container.Name, out var found);
            var instances = (found ?? []).OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Metadata?.Attempt ?? 0).ToList();

            var status = Default(container, previous);
            string? runningId = null;
            if (instances.Count == 0)
            {
                if (previous?.State is { Terminated: null, Running: not null } &&
                    status.State?.Waiting?.Reason == Reasons.ContainerCreating && status.LastState?.Terminated is null)
                {
                    // It ran and is gone without a trace: it stopped, we just do not know how.
                    status.LastState = new ContainerState
                    {
                        Terminated = new ContainerStateTerminated
                        {
                            Reason = Reasons.ContainerStatusUnknown,
                            Message = "The container could not be located when the pod was deleted.  The container used to be Running",
                            ExitCode = 137,
                        },
                    };
                    if (pod.Metadata.DeletionTimestamp is null)
                    {
                        status.RestartCount++;
                    }
                }
            }
            else
            {
                status = Convert(instances[0], previous, container);
                if (instances.Count > 1)
                {
                    status.LastState = Convert(instances[1], null, container).State;
                }

                if (instances[0].State == CriState.ContainerRunning)
                {
                    runningId = instances[0].Id;
                }
            }

            if (runtime.Waiting.TryGetValue(container.Name, out var waiting) && WillStart(pod, instances))
            {
                if (status.State?.Terminated is not null)
                {
                    status.LastState = status.State;
                }

                status.State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = waiting.Reason, Message = EmptyAsNull(waiting.Message) } };
            }

            // The probe manager's rule: started once running and past any startup probe; ready only then.
            var started = runningId is not null && status.State?.Running is not null && probes.IsStarted(runningId);
            status.Started = started;
            status.Ready = started && probes.IsReady(runningId!);
            result.Add(status);
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <summary>The status before the runtime is consulted: the old one if it ended, else waiting with the old history.</summary>
    private static ApiContainerStatus Default(Container container, ApiContainerStatus? previous)
    {
        if (previous?.State?.Terminated is not null)
        {
            var kept = StatusCopy.Of(previous);
            kept.Image = container.Image ?? kept.Image;
            return kept;
        }

        return new ApiContainerStatus
        {
            Name = container.Name,
            Image = container.Image ?? "",
            State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = Reasons.ContainerCreating } },
            RestartCount = previous?.RestartCount ?? 0,
            LastState = previous?.LastState is { } last ? StatusCopy.Of(last) : null,
        };
    }

    /// <summary>One CRI container instance as an API status (Kubernetes' <c>convertContainerStatus</c>).</summary>
    private ApiContainerStatus Convert(CriContainerStatus cri, ApiContainerStatus? previous, Container container)
    {
        var id = RuntimeName + "://" + cri.Id;
        var status = new ApiContainerStatus
        {
            Name = container.Name,
            RestartCount = RestartCount(cri),
            Image = !string.IsNullOrEmpty(cri.Image?.UserSpecifiedImage) ? cri.Image.UserSpecifiedImage : container.Image ?? cri.Image?.Image ?? "",
            ImageID = cri.ImageRef,
            ContainerID = id,
        };
        switch (cri.State)
        {
            case CriState.ContainerRunning:
                status.State = new ContainerState { Running = new ContainerStateRunning { StartedAt = StatusTimes.FromNanoseconds(cri.StartedAt) } };
                break;
            case CriState.ContainerCreated:
                // Created but not started: waiting to run, with no reason of its own.
                status.State = new ContainerState { Waiting = new ContainerStateWaiting() };
                break;
            case CriState.ContainerExited:
                status.State = new ContainerState
                {
                    Terminated = new ContainerStateTerminated
                    {
                        ExitCode = cri.ExitCode,
                        // containerd says Completed / Error / OOMKilled itself; the same words when it does not.
                        Reason = !string.IsNullOrEmpty(cri.Reason) ? cri.Reason : cri.ExitCode == 0 ? Reasons.Completed : Reasons.Error,
                        Message = EmptyAsNull(cri.Message),
                        StartedAt = StatusTimes.FromNanoseconds(cri.StartedAt),
                        FinishedAt = StatusTimes.FromNanoseconds(cri.FinishedAt),
                        ContainerID = id,
                    },
                };
                break;
            default:
                if (previous?.State?.Running is not null)
                {
                    // It was running and the runtime no longer knows: it ended, how is unknown.
                    status.State = new ContainerState
                    {
                        Terminated = new ContainerStateTerminated
                        {
                            Reason = Reasons.ContainerStatusUnknown,
                            Message = "The container could not be located when the pod was terminated",
                            ExitCode = 137,
                        },
                    };
                    status.RestartCount = previous.RestartCount + 1;
                }
                else
                {
                    status.State = new ContainerState { Waiting = new ContainerStateWaiting() };
                }

                break;
        }

        return status;
    }

    /// <summary>The restart count the kubelet stamped on the instance, else its CRI attempt.</summary>
    private static int RestartCount(CriContainerStatus cri) =>
        cri.Annotations.TryGetValue(KubeletLabels.ContainerRestartCount, out var text) &&
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : (int)(cri.Metadata?.Attempt ?? 0);

    /// <summary>
    /// Kubernetes' <c>ShouldContainerBeRestarted</c>: not for a pod being deleted, nor a running
    /// container; an exited one by the restart policy (OnFailure: only after a failure).
    /// </summary>
    private static bool WillStart(Pod pod, List<CriContainerStatus> instances)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            return false;
        }

        if (instances.Count == 0)
        {
            return true;
        }

        var newest = instances[0];
        return newest.State switch
        {
            CriState.ContainerRunning => false,
            CriState.ContainerExited => (pod.Spec?.RestartPolicy ?? RestartPolicies.Always) switch
            {
                RestartPolicies.Never => false,
                RestartPolicies.OnFailure => newest.ExitCode != 0,
                _ => true,
            },
            _ => true,
        };
    }

    private static string? EmptyAsNull(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
