using System.Globalization;
using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler.Algorithm;

/// <summary>
/// Kubernetes' <c>FitError</c> message: <c>0/N nodes are available: </c> then "count reason" per
/// distinct reason, sorted as strings (Go's <c>sort.Strings</c>), joined with ", ", ended with ".".
/// No preemption suffix: Kubernetes adds one only from its PostFilter (DefaultPreemption), which
/// this scheduler does not run. Built only when a pod fits nowhere, so it may allocate.
/// </summary>
internal static class FitError
{
    /// <summary>Kubernetes' <c>ErrNoNodesAvailable</c>, the message when there are no nodes at all.</summary>
    public const string NoNodesAvailable = "no nodes available to schedule pods";

    /// <summary>The message for <paramref name="failures"/> (one per node, with the untolerated taint's index where that was the reason).</summary>
    public static string Message(int allNodes, IReadOnlyList<NodeInfo> nodes, ReadOnlySpan<FilterFailure> failures, ReadOnlySpan<int> taintIndexes)
    {
        if (allNodes == 0)
        {
            return NoNodesAvailable;
        }

        var histogram = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < failures.Length; i++)
        {
            foreach (var reason in Reasons(failures[i], nodes[i], taintIndexes[i]))
            {
                histogram[reason] = histogram.GetValueOrDefault(reason) + 1;
            }
        }

        var reasons = histogram.Select(p => p.Value.ToString(CultureInfo.InvariantCulture) + " " + p.Key).ToList();
        reasons.Sort(StringComparer.Ordinal);
        var message = string.Create(CultureInfo.InvariantCulture, $"0/{allNodes} nodes are available:");
        return reasons.Count == 0 ? message : message + " " + string.Join(", ", reasons) + ".";
    }

    /// <summary>Kubernetes' reason strings of each filter.</summary>
    public static IEnumerable<string> Reasons(FilterFailure failure, NodeInfo node, int taintIndex)
    {
        if (failure.HasFlag(FilterFailure.NotReady))
        {
            yield return "node(s) were not ready";
        }

        if (failure.HasFlag(FilterFailure.Unschedulable))
        {
            yield return "node(s) were unschedulable";
        }

        if (failure.HasFlag(FilterFailure.NodeName))
        {
            yield return "node(s) didn't match the requested node name";
        }

        if (failure.HasFlag(FilterFailure.UntoleratedTaint) && taintIndex >= 0 && taintIndex < node.Taints.Length)
        {
            var taint = node.Taints[taintIndex];
            yield return "node(s) had untolerated taint {" + taint.Key + ": " + taint.Value + "}";
        }

        if (failure.HasFlag(FilterFailure.NodeAffinity))
        {
            yield return "node(s) didn't match Pod's node affinity/selector";
        }

        if (failure.HasFlag(FilterFailure.HostPorts))
        {
            yield return "node(s) didn't have free ports for the requested pod ports";
        }

        if (failure.HasFlag(FilterFailure.TooManyPods))
        {
            yield return "Too many pods";
        }

        if (failure.HasFlag(FilterFailure.InsufficientCpu))
        {
            yield return "Insufficient cpu";
        }

        if (failure.HasFlag(FilterFailure.InsufficientMemory))
        {
            yield return "Insufficient memory";
        }

        if (failure.HasFlag(FilterFailure.InsufficientEphemeralStorage))
        {
            yield return "Insufficient ephemeral-storage";
        }
    }
}
