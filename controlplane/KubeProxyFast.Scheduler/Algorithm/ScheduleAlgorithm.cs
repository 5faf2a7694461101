using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler.Algorithm;

/// <summary>
/// One scheduling cycle's algorithm, as Kubernetes' <c>schedulePod</c>: filter nodes from a start
/// index that moves round-robin across cycles until enough are feasible
/// (<c>percentageOfNodesToScore</c>), score the feasible ones with the default weights, pick the
/// best (ties at random). Reuses its arrays across cycles: no allocation per node. Not thread-safe:
/// one scheduling loop owns it, and runs it under the cache's lock.
/// </summary>
internal sealed class ScheduleAlgorithm(int percentageOfNodesToScore, Random random)
{
    /// <summary>Kubernetes' <c>minFeasibleNodesToFind</c>.</summary>
    internal const int MinFeasibleNodesToFind = 100;

    /// <summary>Kubernetes' <c>minFeasibleNodesPercentageToFind</c>.</summary>
    internal const int MinFeasibleNodesPercentageToFind = 5;

    private int _nextStartIndex;
    private int[] _feasible = [];
    private long[] _spreadRaw = [];
    private long[] _taintRaw = [];
    private long[] _affinityRaw = [];
    private FilterFailure[] _failures = [];
    private int[] _taintIndexes = [];

    /// <summary>Kubernetes' <c>numFeasibleNodesToFind</c>.</summary>
    public static int NumFeasibleNodesToFind(int percentage, int allNodes)
    {
        if (allNodes < MinFeasibleNodesToFind)
        {
            return allNodes;
        }

        if (percentage == 0)
        {
            percentage = Math.Max(50 - (allNodes / 125), MinFeasibleNodesPercentageToFind);
        }

        return Math.Max(MinFeasibleNodesToFind, (int)((long)allNodes * percentage / 100));
    }

    /// <summary>
    /// Chooses a node for <paramref name="pod"/> among <paramref name="nodes"/>; null when none is
    /// feasible (then <see cref="FailureMessage"/> says why). <paramref name="spreadSelector"/> is the
    /// pod's spreading selector (empty: no spreading).
    /// </summary>
    public NodeInfo? Schedule(PodInfo pod, List<NodeInfo> nodes, KeyValuePair<string, string>[] spreadSelector)
    {
        var all = nodes.Count;
        EnsureCapacity(all);
        if (all == 0)
        {
            return null;
        }

        var toFind = NumFeasibleNodesToFind(percentageOfNodesToScore, all);
        var start = _nextStartIndex % all;
        var feasible = 0;
        var processed = 0;
        for (; processed < all && feasible < toFind; processed++)
        {
            var index = (start + processed) % all;
            var node = nodes[index];
            var failure = Filters.Run(pod, node, out var taintIndex);
            _failures[index] = failure;
            _taintIndexes[index] = taintIndex;
            if (failure == FilterFailure.None)
            {
                _feasible[feasible++] = index;
            }
        }

        _nextStartIndex = (start + processed) % all;
        return feasible switch
        {
            0 => null,
            1 => nodes[_feasible[0]],
            _ => Best(pod, nodes, feasible, spreadSelector),
        };
    }

    /// <summary>Kubernetes' FitError message for the cycle that just found no node (every node was filtered).</summary>
    public string FailureMessage(List<NodeInfo> nodes) =>
        FitError.Message(nodes.Count, nodes, _failures.AsSpan(0, nodes.Count), _taintIndexes.AsSpan(0, nodes.Count));

    private NodeInfo Best(PodInfo pod, List<NodeInfo> nodes, int feasible, KeyValuePair<string, string>[] spreadSelector)
    {
        var spreading = spreadSelector.Length > 0;
        long spreadMin = long.MaxValue, spreadMax = long.MinValue, taintMax = 0, affinityMax = 0;
        for (var i = 0; i < feasible; i++)
        {
            var node = nodes[_feasible[i]];
            if (spreading)
            {
                var raw = Scores.SpreadRaw(Scores.MatchingPods(spreadSelector, pod.Namespace, node), feasible);
                _spreadRaw[i] = raw;
                spreadMin = Math.Min(spreadMin, raw);
                spreadMax = Math.Max(spreadMax, raw);
            }

            taintMax = Math.Max(taintMax, _taintRaw[i] = Scores.IntolerablePreferNoSchedule(pod, node));
            affinityMax = Math.Max(affinityMax, _affinityRaw[i] = NodeAffinityMatch.PreferredWeight(pod, node));
        }

        var best = -1;
        var bestScore = long.MinValue;
        var ties = 0;
        for (var i = 0; i < feasible; i++)
        {
            var node = nodes[_feasible[i]];
            var score = (Scores.LeastAllocatedWeight * Scores.LeastAllocated(pod, node))
                + (Scores.BalancedAllocationWeight * Scores.BalancedAllocation(pod, node))
                + (Scores.TaintTolerationWeight * Scores.DefaultNormalize(_taintRaw[i], taintMax, reverse: true))
                + (Scores.NodeAffinityWeight * Scores.DefaultNormalize(_affinityRaw[i], affinityMax, reverse: false));
            if (spreading)
            {
                score += Scores.SpreadWeight * Scores.NormalizeSpread(_spreadRaw[i], spreadMin, spreadMax);
            }

            // Kubernetes' selectHost: the highest score, ties broken uniformly (reservoir sampling).
            if (score > bestScore)
            {
                (best, bestScore, ties) = (i, score, 1);
            }
            else if (score == bestScore && random.Next(++ties) == 0)
            {
                best = i;
            }
        }

        return nodes[_feasible[best]];
    }

    private void EnsureCapacity(int nodes)
    {
        if (_failures.Length >= nodes)
        {
            return;
        }

        var size = Math.Max(nodes, _failures.Length * 2);
        _feasible = new int[size];
        _spreadRaw = new long[size];
        _taintRaw = new long[size];
        _affinityRaw = new long[size];
        _failures = new FilterFailure[size];
        _taintIndexes = new int[size];
    }
}
