using KubeProxyFast.Api.Core;
using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler.Algorithm;

/// <summary>
/// The score plugins of Kubernetes' default profile that this model can express, each 0–100
/// (<c>MaxNodeScore</c>) per node, and their default weights. Allocation-free.
/// </summary>
internal static class Scores
{
    /// <summary>Kubernetes' <c>MaxNodeScore</c>.</summary>
    public const long MaxNodeScore = 100;

    /// <summary>Weights of the default profile (NodeResourcesFit 1, BalancedAllocation 1, PodTopologySpread 2, TaintToleration 3, NodeAffinity 2).</summary>
    public const int LeastAllocatedWeight = 1, BalancedAllocationWeight = 1, SpreadWeight = 2, TaintTolerationWeight = 3, NodeAffinityWeight = 2;

    /// <summary>The system default spreading constraint by hostname: <c>maxSkew</c> 3, ScheduleAnyway.</summary>
    public const int HostnameMaxSkew = 3;

    /// <summary>
    /// NodeResourcesFit's LeastAllocated: for CPU and memory (weight 1 each), the share left free
    /// after this pod, counting requests with the defaults for missing ones.
    /// </summary>
    public static long LeastAllocated(PodInfo pod, NodeInfo node) =>
        (LeastRequested(node.NonZeroRequestedMilliCpu + pod.NonZeroMilliCpu, node.AllocatableMilliCpu)
         + LeastRequested(node.NonZeroRequestedMemory + pod.NonZeroMemory, node.AllocatableMemory)) / 2;

    /// <summary>
    /// NodeResourcesBalancedAllocation: 100 × (1 − the standard deviation of the CPU and memory
    /// fractions requested after this pod); 0 for a pod that requests neither (Kubernetes skips it).
    /// </summary>
    public static long BalancedAllocation(PodInfo pod, NodeInfo node)
    {
        if (pod.MilliCpu == 0 && pod.Memory == 0)
        {
            return 0;
        }

        double sum = 0, first = 0;
        var count = 0;
        Fraction(node.RequestedMilliCpu + pod.MilliCpu, node.AllocatableMilliCpu, ref count, ref first, ref sum);
        Fraction(node.RequestedMemory + pod.Memory, node.AllocatableMemory, ref count, ref first, ref sum);
        var deviation = count == 2 ? Math.Abs((first - (sum - first)) / 2) : 0;
        return (long)((1 - deviation) * MaxNodeScore);
    }

    /// <summary>TaintToleration's raw score: the PreferNoSchedule taints the pod does not tolerate (fewer is better).</summary>
    public static long IntolerablePreferNoSchedule(PodInfo pod, NodeInfo node)
    {
        long count = 0;
        foreach (var taint in node.Taints)
        {
            if (taint.Effect == TaintEffects.PreferNoSchedule && !ToleratesPreferNoSchedule(pod, taint))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The pods on the node in the pod's namespace, not terminating, that the spreading selector selects.</summary>
    public static long MatchingPods(KeyValuePair<string, string>[] selector, string ns, NodeInfo node)
    {
        long count = 0;
        foreach (var other in node.Pods)
        {
            if (!other.Terminating && SpreadSelectors.Matches(selector, other.Labels, other.Namespace, ns))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// PodTopologySpread's raw score for the hostname constraint: (matching pods + maxSkew − 1) ×
    /// log(nodes + 2), rounded (fewer is better; normalised by <see cref="NormalizeSpread"/>).
    /// </summary>
    public static long SpreadRaw(long matching, int feasibleNodes) =>
        (long)Math.Round((matching + HostnameMaxSkew - 1) * Math.Log(feasibleNodes + 2));

    /// <summary>PodTopologySpread's NormalizeScore: 100 × (max + min − score) / max, or 100 for all when max is 0.</summary>
    public static long NormalizeSpread(long raw, long min, long max) =>
        max == 0 ? MaxNodeScore : MaxNodeScore * (max + min - raw) / max;

    /// <summary>Kubernetes' <c>DefaultNormalizeScore</c>: scaled so the largest is 100; reversed for "fewer is better"; all equal to 100 (reversed) or 0 when the largest is 0.</summary>
    public static long DefaultNormalize(long raw, long max, bool reverse)
    {
        if (max == 0)
        {
            return reverse ? MaxNodeScore : 0;
        }

        var score = MaxNodeScore * raw / max;
        return reverse ? MaxNodeScore - score : score;
    }

    private static bool ToleratesPreferNoSchedule(PodInfo pod, TaintInfo taint)
    {
        foreach (var toleration in pod.Tolerations)
        {
            // Kubernetes counts only tolerations whose effect is empty or PreferNoSchedule here.
            if (toleration.Effect is "" or TaintEffects.PreferNoSchedule && toleration.Tolerates(taint.Key, taint.Value, taint.Effect))
            {
                return true;
            }
        }

        return false;
    }

    private static long LeastRequested(long requested, long capacity) =>
        capacity == 0 || requested > capacity ? 0 : (capacity - requested) * MaxNodeScore / capacity;

    private static void Fraction(long requested, long allocatable, ref int count, ref double first, ref double sum)
    {
        if (allocatable == 0)
        {
            return;
        }

        var fraction = Math.Min(1, (double)requested / allocatable);
        if (count == 0)
        {
            first = fraction;
        }

        sum += fraction;
        count++;
    }
}
