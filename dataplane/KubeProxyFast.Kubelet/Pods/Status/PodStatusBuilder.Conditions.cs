using KubeProxyFast.Api.Core;
using PodSandboxState = KubeProxyFast.Kubelet.Cri.V1.PodSandboxState;
using PodSandboxStatus = KubeProxyFast.Kubelet.Cri.V1.PodSandboxStatus;

namespace KubeProxyFast.Kubelet.Pods.Status;

public sealed partial class PodStatusBuilder
{
    /// <summary>The condition types the kubelet owns (Kubernetes' <c>PodConditionByKubelet</c>); others on the pod are kept as they are.</summary>
    internal static readonly string[] KubeletConditions =
        [ConditionTypes.PodReadyToStartContainers, PodConditionTypes.Initialized, PodConditionTypes.Ready, PodConditionTypes.ContainersReady, PodConditionTypes.PodScheduled];

    /// <summary>
    /// The pod's conditions: those the kubelet does not own as the API has them, then, in Kubernetes'
    /// order, PodReadyToStartContainers, Initialized, Ready, ContainersReady and PodScheduled.
    /// </summary>
    private static List<PodCondition> BuildConditions(Pod pod, PodStatus apiStatus, PodStatus status, PodSandboxStatus? sandbox)
    {
        var conditions = new List<PodCondition>();
        foreach (var condition in apiStatus.Conditions ?? [])
        {
            if (Array.IndexOf(KubeletConditions, condition.Type) < 0)
            {
                conditions.Add(StatusCopy.Of(condition));
            }
        }

        // A sandbox with its network set up: no new one is needed before containers can start.
        var sandboxReady = sandbox is { State: PodSandboxState.SandboxReady } &&
            (pod.Spec?.HostNetwork == true || !string.IsNullOrEmpty(sandbox.Network?.Ip));
        conditions.Add(new PodCondition { Type = ConditionTypes.PodReadyToStartContainers, Status = sandboxReady ? ConditionStatuses.True : ConditionStatuses.False });
        conditions.Add(Initialized(status.Phase));
        var containersReady = ContainersReady(pod.Spec?.Containers ?? [], status.ContainerStatuses ?? [], status.Phase);
        conditions.Add(new PodCondition
        {
            Type = PodConditionTypes.Ready,
            Status = containersReady.Status,
            Reason = containersReady.Reason,
            Message = containersReady.Message,
        });
        conditions.Add(containersReady);
        conditions.Add(new PodCondition { Type = PodConditionTypes.PodScheduled, Status = ConditionStatuses.True });
        return conditions;
    }

    /// <summary>Without init containers the pod is initialized from the start; <c>PodCompleted</c> once it succeeded.</summary>
    private static PodCondition Initialized(string? phase) => new()
    {
        Type = PodConditionTypes.Initialized,
        Status = ConditionStatuses.True,
        Reason = phase == PodPhases.Succeeded ? Reasons.PodCompleted : null,
    };

    /// <summary>Kubernetes' <c>GenerateContainersReadyCondition</c> (the Ready condition copies it: no readiness gates here).</summary>
    private static PodCondition ContainersReady(List<Container> containers, List<Api.Core.ContainerStatus> statuses, string? phase)
    {
        var unknown = new List<string>();
        var unready = new List<string>();
        foreach (var container in containers)
        {
            var status = statuses.Find(s => s.Name == container.Name);
            if (status is null)
            {
                unknown.Add(container.Name);
            }
            else if (!status.Ready)
            {
                unready.Add(container.Name);
            }
        }

        if ((phase == PodPhases.Succeeded && unknown.Count == 0) || phase == PodPhases.Failed)
        {
            return new PodCondition
            {
                Type = PodConditionTypes.ContainersReady,
                Status = ConditionStatuses.False,
                Reason = phase == PodPhases.Failed ? Reasons.PodFailed : Reasons.PodCompleted,
            };
        }

        var messages = new List<string>(2);
        if (unknown.Count > 0)
        {
            messages.Add($"containers with unknown status: [{string.Join(' ', unknown)}]");
        }

        if (unready.Count > 0)
        {
            messages.Add($"containers with unready status: [{string.Join(' ', unready)}]");
        }

        return messages.Count > 0
            ? new PodCondition
            {
                Type = PodConditionTypes.ContainersReady,
                Status = ConditionStatuses.False,
                Reason = Reasons.ContainersNotReady,
                Message = string.Join(", ", messages),
            }
            : new PodCondition { Type = PodConditionTypes.ContainersReady, Status = ConditionStatuses.True };
    }

    /// <summary>
    /// The status manager's <c>updateLastTransitionTime</c>: a kubelet condition whose status is
    /// the old one's keeps the old transition time; a changed or new one gets <paramref name="now"/>.
    /// </summary>
    internal static void KeepTransitionTimes(PodStatus status, PodStatus? old, DateTimeOffset now)
    {
        foreach (var condition in status.Conditions ?? [])
        {
            if (Array.IndexOf(KubeletConditions, condition.Type) < 0)
            {
                continue;
            }

            var before = old?.Conditions?.Find(c => c.Type == condition.Type);
            condition.LastTransitionTime = before is not null && before.Status == condition.Status && before.LastTransitionTime is { } kept
                ? kept
                : now;
        }
    }
}
