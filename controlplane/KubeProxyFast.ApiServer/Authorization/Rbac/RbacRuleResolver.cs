using KubeProxyFast.Api.Authorization;
using KubeProxyFast.ApiServer.Authentication;

namespace KubeProxyFast.ApiServer.Authorization.Rbac;

/// <summary>
/// RBAC's part of a rules review (<c>kubectl auth can-i --list</c>), as Kubernetes'
/// <c>RBACAuthorizer.RulesFor</c>: every rule of the user's bindings in the namespace and
/// cluster-wide, split into resource and non-resource rules; incomplete when a binding names a
/// role that does not exist.
/// </summary>
internal sealed class RbacRuleResolver : IRuleResolver
{
    private readonly RbacAuthorizer _rbac;

    public RbacRuleResolver(RbacAuthorizer rbac) => _rbac = rbac;

    /// <inheritdoc/>
    public async ValueTask<RuleResolution> RulesForAsync(UserInfo user, string ns, CancellationToken cancellationToken)
    {
        await _rbac.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        var found = _rbac.RulesFor(user, ns);
        var resourceRules = new List<ResourceRule>();
        var nonResourceRules = new List<NonResourceRule>();
        foreach (var rule in found.Rules)
        {
            if (rule.NonResourceURLs is { Count: > 0 } urls)
            {
                nonResourceRules.Add(new NonResourceRule { Verbs = [.. rule.Verbs ?? []], NonResourceUrls = [.. urls] });
            }

            if (rule.Resources is { Count: > 0 } resources)
            {
                resourceRules.Add(new ResourceRule
                {
                    Verbs = [.. rule.Verbs ?? []],
                    ApiGroups = rule.ApiGroups is null ? null : [.. rule.ApiGroups],
                    Resources = [.. resources],
                    ResourceNames = rule.ResourceNames is { Count: > 0 } names ? [.. names] : null,
                });
            }
        }

        return found.Errors.Count == 0
            ? new RuleResolution(resourceRules, nonResourceRules)
            : new RuleResolution(resourceRules, nonResourceRules, Incomplete: true, string.Join(", ", found.Errors));
    }
}
