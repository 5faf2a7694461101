using System.Globalization;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler.Algorithm;

/// <summary>
/// Kubernetes' NodeAffinity plugin: <c>nodeSelector</c> and the required terms filter (a node must
/// match every nodeSelector pair and one term; a term without requirements matches nothing); the
/// preferred terms score the sum of the weights of the terms a node matches.
/// </summary>
internal static class NodeAffinityMatch
{
    /// <summary>The filter.</summary>
    public static bool MatchesRequired(PodInfo pod, NodeInfo node)
    {
        foreach (var (key, value) in pod.NodeSelector)
        {
            if (!node.Labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        if (pod.RequiredTerms is not { } terms)
        {
            return true;
        }

        foreach (var term in terms)
        {
            if (Matches(term, node))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The raw score: the weights of the preferred terms the node matches.</summary>
    public static long PreferredWeight(PodInfo pod, NodeInfo node)
    {
        long weight = 0;
        foreach (var term in pod.PreferredTerms)
        {
            if (term.Weight != 0 && Matches(term.Preference, node))
            {
                weight += term.Weight;
            }
        }

        return weight;
    }

    /// <summary>Whether <paramref name="node"/> matches every requirement of <paramref name="term"/> (and it has one).</summary>
    public static bool Matches(NodeSelectorTerm term, NodeInfo node)
    {
        var expressions = term.MatchExpressions;
        var fields = term.MatchFields;
        if (expressions is not { Count: > 0 } && fields is not { Count: > 0 })
        {
            return false;
        }

        for (var i = 0; expressions is not null && i < expressions.Count; i++)
        {
            var requirement = expressions[i];
            if (!Matches(requirement, node.Labels.TryGetValue(requirement.Key, out var value), value))
            {
                return false;
            }
        }

        for (var i = 0; fields is not null && i < fields.Count; i++)
        {
            var requirement = fields[i];
            if (requirement.Key != "metadata.name" || !Matches(requirement, exists: true, node.Name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Matches(NodeSelectorRequirement requirement, bool exists, string? value)
    {
        var values = requirement.Values;
        switch (requirement.Operator)
        {
            case NodeSelectorOperators.In:
                return exists && values is not null && values.Contains(value!);
            case NodeSelectorOperators.NotIn:
                return !exists || values is null || !values.Contains(value!);
            case NodeSelectorOperators.Exists:
                return exists;
            case NodeSelectorOperators.DoesNotExist:
                return !exists;
            case NodeSelectorOperators.Gt or NodeSelectorOperators.Lt:
                if (!exists || values is not { Count: 1 }
                    || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual)
                    || !long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
                {
                    return false;
                }

                return requirement.Operator == NodeSelectorOperators.Gt ? actual > bound : actual < bound;
            default:
                return false;
        }
    }
}
