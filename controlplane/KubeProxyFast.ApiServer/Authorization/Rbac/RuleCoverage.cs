using System.Text;
using KubeProxyFast.Api.Rbac;

namespace KubeProxyFast.ApiServer.Authorization.Rbac;

/// <summary>
/// Whether one set of rules holds every permission of another, as Kubernetes' <c>validation.Covers</c>
/// (pkg/registry/rbac/validation): each rule is broken into single verb/group/resource/name rules,
/// and each of those must be covered by one owner rule. Also the compact text Kubernetes shows
/// for the rules missing.
/// </summary>
internal static class RuleCoverage
{
    /// <summary>The rules of <paramref name="servant"/> that <paramref name="owner"/> does not cover, broken down; empty when covered.</summary>
    public static List<PolicyRule> Missing(IReadOnlyList<PolicyRule> owner, IEnumerable<PolicyRule> servant)
    {
        var missing = new List<PolicyRule>();
        foreach (var rule in servant.SelectMany(Breakdown))
        {
            if (!owner.Any(o => Covers(o, rule)))
            {
                missing.Add(rule);
            }
        }

        return missing;
    }

    /// <summary>One rule per group × resource × verb (× name), and per URL × verb.</summary>
    public static IEnumerable<PolicyRule> Breakdown(PolicyRule rule)
    {
        var verbs = rule.Verbs ?? [];
        foreach (var group in rule.ApiGroups ?? [])
        {
            foreach (var resource in rule.Resources ?? [])
            {
                foreach (var verb in verbs)
                {
                    if (rule.ResourceNames is { Count: > 0 } names)
                    {
                        foreach (var name in names)
                        {
                            yield return new PolicyRule { ApiGroups = [group], Resources = [resource], Verbs = [verb], ResourceNames = [name] };
                        }
                    }
                    else
                    {
                        yield return new PolicyRule { ApiGroups = [group], Resources = [resource], Verbs = [verb] };
                    }
                }
            }
        }

        foreach (var url in rule.NonResourceURLs ?? [])
        {
            foreach (var verb in verbs)
            {
                yield return new PolicyRule { NonResourceURLs = [url], Verbs = [verb] };
            }
        }
    }

    /// <summary>Kubernetes' <c>ruleCovers</c>: the owner rule holds every verb, group, resource, name and URL of the sub-rule.</summary>
    public static bool Covers(PolicyRule owner, PolicyRule sub)
    {
        var verbs = Has(owner.Verbs, RbacNames.All) || HasAll(owner.Verbs, sub.Verbs);
        var groups = Has(owner.ApiGroups, RbacNames.All) || HasAll(owner.ApiGroups, sub.ApiGroups);
        var names = sub.ResourceNames is null or { Count: 0 }
            ? owner.ResourceNames is null or { Count: 0 }
            : owner.ResourceNames is null or { Count: 0 } || HasAll(owner.ResourceNames, sub.ResourceNames);
        return verbs && groups && ResourcesCover(owner.Resources, sub.Resources) && names && UrlsCover(owner.NonResourceURLs, sub.NonResourceURLs);
    }

    /// <summary>
    /// Kubernetes' <c>CompactRules</c> then <c>CompactString</c>, sorted: single-group,
    /// single-resource rules that differ only in verbs become one, then each is written
    /// <c>{APIGroups:[""], Resources:["pods"], Verbs:["create" "delete"]}</c>.
    /// </summary>
    public static IReadOnlyList<string> Describe(IEnumerable<PolicyRule> rules)
    {
        var merged = new List<PolicyRule>();
        var simple = new Dictionary<(string Group, string Resource, string? Name), PolicyRule>();
        foreach (var rule in rules)
        {
            if (rule is { ApiGroups.Count: 1, Resources.Count: 1 } && rule.NonResourceURLs is null or { Count: 0 } && rule.ResourceNames is null or { Count: <= 1 })
            {
                var key = (rule.ApiGroups[0], rule.Resources[0], rule.ResourceNames is { Count: 1 } n ? n[0] : null);
                if (simple.TryGetValue(key, out var existing))
                {
                    existing.Verbs!.AddRange((rule.Verbs ?? []).Where(v => !existing.Verbs.Contains(v)));
                    continue;
                }

                var copy = new PolicyRule { ApiGroups = [.. rule.ApiGroups], Resources = [.. rule.Resources], ResourceNames = rule.ResourceNames is { Count: 1 } ? [.. rule.ResourceNames] : null, Verbs = [.. rule.Verbs ?? []] };
                simple[key] = copy;
                merged.Add(copy);
                continue;
            }

            merged.Add(rule);
        }

        return merged.Select(CompactString).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Kubernetes' <c>CompactString</c>: the non-empty lists, each as Go's <c>%q</c> of a string slice.</summary>
    public static string CompactString(PolicyRule rule)
    {
        var parts = new List<string>();
        Part(parts, "APIGroups", rule.ApiGroups);
        Part(parts, "Resources", rule.Resources);
        Part(parts, "NonResourceURLs", rule.NonResourceURLs);
        Part(parts, "ResourceNames", rule.ResourceNames);
        Part(parts, "Verbs", rule.Verbs);
        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>Go's <c>%q</c> of a string slice: <c>["a" "b"]</c>.</summary>
    public static string Quoted(IEnumerable<string> values)
    {
        var builder = new StringBuilder("[");
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                builder.Append(' ');
            }

            first = false;
            builder.Append('"').Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        }

        return builder.Append(']').ToString();
    }

    private static void Part(List<string> parts, string name, List<string>? values)
    {
        if (values is { Count: > 0 })
        {
            parts.Add(name + ":" + Quoted(values));
        }
    }

    private static bool Has(List<string>? set, string value) => set is not null && set.Contains(value);

    private static bool HasAll(List<string>? set, List<string>? values) => values is null || values.All(v => Has(set, v));

    /// <summary>Kubernetes' <c>resourceCoversAll</c>: <c>*</c>, the exact resources, or <c>*/subresource</c> for a subresource.</summary>
    private static bool ResourcesCover(List<string>? owner, List<string>? sub)
    {
        if (Has(owner, RbacNames.All) || HasAll(owner, sub))
        {
            return true;
        }

        foreach (var path in sub ?? [])
        {
            if (Has(owner, path))
            {
                continue;
            }

            var slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !Has(owner, "*/" + path[(slash + 1)..]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Kubernetes' <c>nonResourceURLsCoversAll</c>: each URL is the owner's, or under an owner's prefix ending in <c>*</c>.</summary>
    private static bool UrlsCover(List<string>? owner, List<string>? sub)
    {
        foreach (var path in sub ?? [])
        {
            if (!(owner ?? []).Any(o => o == path || (o.EndsWith('*') && path.StartsWith(o.TrimEnd('*'), StringComparison.Ordinal))))
            {
                return false;
            }
        }

        return true;
    }
}
