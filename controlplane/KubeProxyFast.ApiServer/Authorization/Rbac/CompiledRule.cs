using KubeProxyFast.Api.Rbac;

namespace KubeProxyFast.ApiServer.Authorization.Rbac;

/// <summary>
/// One PolicyRule ready for matching on the request path: its lists as arrays and their <c>*</c>
/// found once, so a match reads arrays and allocates nothing. Semantics are Kubernetes'
/// <c>RuleAllows</c> (plugin/pkg/auth/authorizer/rbac).
/// </summary>
internal sealed class CompiledRule
{
    private readonly string[] _verbs;
    private readonly string[] _apiGroups;
    private readonly string[] _resources;
    private readonly string[] _resourceNames;
    private readonly string[] _nonResourceUrls;
    private readonly bool _anyVerb;
    private readonly bool _anyGroup;

    /// <summary>Compiles <paramref name="rule"/>; it is kept as <see cref="Source"/> and never changed.</summary>
    public CompiledRule(PolicyRule rule)
    {
        Source = rule;
        _verbs = [.. rule.Verbs ?? []];
        _apiGroups = [.. rule.ApiGroups ?? []];
        _resources = [.. rule.Resources ?? []];
        _resourceNames = [.. rule.ResourceNames ?? []];
        _nonResourceUrls = [.. rule.NonResourceURLs ?? []];
        _anyVerb = Array.IndexOf(_verbs, RbacNames.All) >= 0;
        _anyGroup = Array.IndexOf(_apiGroups, RbacNames.All) >= 0;
    }

    /// <summary>The rule as written.</summary>
    public PolicyRule Source { get; }

    /// <summary>True when this rule allows the request.</summary>
    public bool Allows(AuthorizationAttributes request)
    {
        if (!_anyVerb && Array.IndexOf(_verbs, request.Verb) < 0)
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return NonResourceUrlMatches(request.Path);
        }

        return (_anyGroup || Array.IndexOf(_apiGroups, request.ApiGroup) >= 0)
            && ResourceMatches(request.Resource, request.Subresource)
            && (_resourceNames.Length == 0 || Array.IndexOf(_resourceNames, request.Name) >= 0);
    }

    /// <summary>
    /// <c>*</c> (any resource and subresource), the resource with its subresource (<c>pods/status</c>),
    /// or <c>*/subresource</c>; compared without building the combined name.
    /// </summary>
    private bool ResourceMatches(string resource, string subresource)
    {
        foreach (var rule in _resources)
        {
            if (rule == RbacNames.All)
            {
                return true;
            }

            if (subresource.Length == 0)
            {
                if (rule == resource)
                {
                    return true;
                }

                continue;
            }

            var span = rule.AsSpan();
            if (span.Length == resource.Length + 1 + subresource.Length
                && span.StartsWith(resource, StringComparison.Ordinal)
                && span[resource.Length] == '/'
                && span.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }

            if (span.Length == subresource.Length + 2 && span.StartsWith("*/", StringComparison.Ordinal) && span.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>*</c>, the exact path, or a prefix ending in <c>*</c>.</summary>
    private bool NonResourceUrlMatches(string path)
    {
        foreach (var rule in _nonResourceUrls)
        {
            if (rule == RbacNames.All || rule == path)
            {
                return true;
            }

            if (rule.EndsWith('*') && path.AsSpan().StartsWith(rule.AsSpan().TrimEnd('*'), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
