using KubeProxyFast.Api.Core;
using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler.Algorithm;

/// <summary>
/// The filter plugins of Kubernetes' default profile that this model can express, in its order:
/// node readiness first, then NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts,
/// NodeResourcesFit. As Kubernetes', a node's reasons are those of the first filter that rejects it.
/// Allocation-free: reads precomputed fields only.
/// </summary>
internal static class Filters
{
    /// <summary>The taint NodeUnschedulable checks tolerations against (<c>node.kubernetes.io/unschedulable:NoSchedule</c>).</summary>
    internal const string UnschedulableTaintKey = "node.kubernetes.io/unschedulable";

    /// <summary>The taint a not-ready node carries in Kubernetes (<c>node.kubernetes.io/not-ready</c>); tolerating it admits a not-ready node.</summary>
    internal const string NotReadyTaintKey = "node.kubernetes.io/not-ready";

    /// <summary>Runs the filters; <paramref name="taintIndex"/> is the untolerated taint's index when that is the reason.</summary>
    public static FilterFailure Run(PodInfo pod, NodeInfo node, out int taintIndex)
    {
        taintIndex = -1;
        if (!node.Ready && !Tolerates(pod, NotReadyTaintKey, "", TaintEffects.NoSchedule))
        {
            return FilterFailure.NotReady;
        }

        if (node.Unschedulable && !Tolerates(pod, UnschedulableTaintKey, "", TaintEffects.NoSchedule))
        {
            return FilterFailure.Unschedulable;
        }

        if (pod.NodeName is not null && pod.NodeName != node.Name)
        {
            return FilterFailure.NodeName;
        }

        taintIndex = FirstUntoleratedTaint(pod, node);
        if (taintIndex >= 0)
        {
            return FilterFailure.UntoleratedTaint;
        }

        if (!NodeAffinityMatch.MatchesRequired(pod, node))
        {
            return FilterFailure.NodeAffinity;
        }

        if (!PortsFree(pod, node))
        {
            return FilterFailure.HostPorts;
        }

        return Fits(pod, node);
    }

    /// <summary>Kubernetes' <c>fitsRequest</c>: one more pod, and each resource the pod requests fits in what is left.</summary>
    public static FilterFailure Fits(PodInfo pod, NodeInfo node)
    {
        var failure = FilterFailure.None;
        if (node.Pods.Count + 1 > node.AllocatablePods)
        {
            failure |= FilterFailure.TooManyPods;
        }

        if (pod.MilliCpu > 0 && pod.MilliCpu > node.AllocatableMilliCpu - node.RequestedMilliCpu)
        {
            failure |= FilterFailure.InsufficientCpu;
        }

        if (pod.Memory > 0 && pod.Memory > node.AllocatableMemory - node.RequestedMemory)
        {
            failure |= FilterFailure.InsufficientMemory;
        }

        if (pod.EphemeralStorage > 0 && pod.EphemeralStorage > node.AllocatableEphemeralStorage - node.RequestedEphemeralStorage)
        {
            failure |= FilterFailure.InsufficientEphemeralStorage;
        }

        return failure;
    }

    /// <summary>The first NoSchedule or NoExecute taint the pod does not tolerate, or -1.</summary>
    public static int FirstUntoleratedTaint(PodInfo pod, NodeInfo node)
    {
        var taints = node.Taints;
        for (var i = 0; i < taints.Length; i++)
        {
            var taint = taints[i];
            if (taint.Effect is TaintEffects.NoSchedule or TaintEffects.NoExecute && !Tolerates(pod, taint.Key, taint.Value, taint.Effect))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether any of the pod's tolerations tolerates the taint.</summary>
    public static bool Tolerates(PodInfo pod, string key, string value, string effect)
    {
        foreach (var toleration in pod.Tolerations)
        {
            if (toleration.Tolerates(key, value, effect))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PortsFree(PodInfo pod, NodeInfo node)
    {
        foreach (var wanted in pod.HostPorts)
        {
            foreach (var used in node.UsedPorts)
            {
                if (wanted.ConflictsWith(used))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
