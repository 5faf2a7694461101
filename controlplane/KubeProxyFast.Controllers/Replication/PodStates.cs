using System.Globalization;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Controllers.Replication;

/// <summary>What the replication manager reads of a pod, as Kubernetes' <c>podutil</c> and <c>controller_utils</c> read it.</summary>
internal static class PodStates
{
    /// <summary>The annotation by which users rank pods for scale-down (lower cost goes first).</summary>
    public const string DeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";

    /// <summary>Not Succeeded, not Failed and not being deleted: the pod counts towards the replicas.</summary>
    public static bool IsActive(Pod pod) =>
        pod.Status?.Phase is not (PodPhases.Succeeded or PodPhases.Failed) && pod.Metadata.DeletionTimestamp is null;

    /// <summary>The pod's <c>Ready</c> condition, when it is True.</summary>
    public static PodCondition? ReadyCondition(Pod pod)
    {
        if (pod.Status?.Conditions is { } conditions)
        {
            foreach (var condition in conditions)
            {
                if (condition.Type == PodConditionTypes.Ready)
                {
                    return condition.Status == ConditionStatuses.True ? condition : null;
                }
            }
        }

        return null;
    }

    /// <summary>The <c>Ready</c> condition is True.</summary>
    public static bool IsReady(Pod pod) => ReadyCondition(pod) is not null;

    /// <summary>
    /// Ready for at least <paramref name="minReadySeconds"/> at <paramref name="now"/> (Kubernetes'
    /// <c>IsPodAvailable</c>: with 0 any ready pod is available; otherwise the condition's
    /// lastTransitionTime plus the wait must be before now).
    /// </summary>
    public static bool IsAvailable(Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        if (ReadyCondition(pod) is not { } ready)
        {
            return false;
        }

        return minReadySeconds == 0
            || (ready.LastTransitionTime is { } since && since.AddSeconds(minReadySeconds) < now);
    }

    /// <summary>The highest restart count of the pod's containers.</summary>
    public static int MaxRestarts(Pod pod)
    {
        var max = 0;
        if (pod.Status?.ContainerStatuses is { } statuses)
        {
            foreach (var status in statuses)
            {
                max = Math.Max(max, status.RestartCount);
            }
        }

        return max;
    }

    /// <summary>The pod's deletion cost (0 when unset or not an int32, as Kubernetes reads it).</summary>
    public static int DeletionCost(Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(DeletionCostAnnotation, out var text) == true
        && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var cost)
            ? cost
            : 0;

    /// <summary>The owner reference with <c>controller: true</c>, if any (metav1's <c>GetControllerOf</c>).</summary>
    public static OwnerReference? ControllerOf(KubeObject obj)
    {
        if (obj.Metadata.OwnerReferences is { } owners)
        {
            foreach (var owner in owners)
            {
                if (owner.Controller == true)
                {
                    return owner;
                }
            }
        }

        return null;
    }

    /// <summary><c>namespace/name</c>: the key of expectations and of the work queue.</summary>
    public static string Key(KubeObject obj) => obj.Metadata.Namespace + "/" + obj.Metadata.Name;

    /// <summary>
    /// True when every pair of <paramref name="selector"/> is among <paramref name="labels"/>. An
    /// empty selector matches nothing: validation refuses one, and one that crept in must not
    /// claim every pod of the namespace.
    /// </summary>
    public static bool Matches(IReadOnlyDictionary<string, string>? selector, IReadOnlyDictionary<string, string>? labels)
    {
        if (selector is null || selector.Count == 0)
        {
            return false;
        }

        return IsSubset(selector, labels);
    }

    /// <summary>True when every pair of <paramref name="subset"/> is among <paramref name="labels"/> (true for an empty subset).</summary>
    public static bool IsSubset(IReadOnlyDictionary<string, string>? subset, IReadOnlyDictionary<string, string>? labels)
    {
        if (subset is null)
        {
            return true;
        }

        foreach (var (key, value) in subset)
        {
            if (labels is null || !labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }
}
