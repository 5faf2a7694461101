using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Kubelet.Pods.Status;

/// <summary>
/// The final status of a pod the kubelet has stopped for good, as Kubernetes' status manager makes it
/// in <c>TerminatePod</c> after the last sync: a container not already terminated is reported terminated with
/// <c>ContainerStatusUnknown</c> and exit code 137 (nothing is running any more, whatever was last
/// seen), and a pod not yet Succeeded or Failed is Succeeded when every container exited 0, else Failed; ready conditions follow the terminal phase.
/// </summary>
internal static class TerminalStatus
{
    public static PodStatus Of(PodStatus basis)
    {
        var status = StatusCopy.Of(basis);
        foreach (var container in status.ContainerStatuses ?? [])
        {
            container.Ready = false;
            container.Started = false;
            if (container.State?.Terminated is not null)
            {
                continue;
            }

            container.State = new ContainerState
            {
                Terminated = new ContainerStateTerminated
                {
                    Reason = Reasons.ContainerStatusUnknown,
                    Message = "The container could not be located when the pod was terminated",
                    ExitCode = 137,
                },
            };
        }

        if (status.Phase is not (PodPhases.Succeeded or PodPhases.Failed))
        {
            // What the last sync of a terminal pod (getPhase with podIsTerminal) gives: every container
            // exited 0 → Succeeded; anything else, even a container never started → Failed.
            var containers = status.ContainerStatuses ?? [];
            status.Phase = containers.Count > 0 && containers.TrueForAll(c => c.State!.Terminated!.ExitCode == 0)
                ? PodPhases.Succeeded
                : PodPhases.Failed;
        }

        var reason = status.Phase == PodPhases.Failed ? Reasons.PodFailed : Reasons.PodCompleted;
        foreach (var condition in status.Conditions ?? [])
        {
            if (condition.Type is PodConditionTypes.Ready or PodConditionTypes.ContainersReady)
            {
                condition.Status = ConditionStatuses.False;
                condition.Reason = reason;
                condition.Message = null;
            }
            else if (condition.Type == ConditionTypes.PodReadyToStartContainers)
            {
                condition.Status = ConditionStatuses.False;
            }
        }

        return status;
    }
}
