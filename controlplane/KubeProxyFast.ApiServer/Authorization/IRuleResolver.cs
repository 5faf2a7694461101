using KubeProxyFast.Api.Authorization;
using KubeProxyFast.ApiServer.Authentication;

namespace KubeProxyFast.ApiServer.Authorization;

/// <summary>
/// An authorization mode that can list what it allows a user, as Kubernetes'
/// <c>authorizer.RuleResolver</c> (RBAC can; the Node authorizer cannot): what
/// SelfSubjectRulesReviews (<c>kubectl auth can-i --list</c>) answer. An authorizer that implements it
/// is found by <see cref="Security.ApiSecurity.RuleResolvers"/>; one that does not makes every answer incomplete.
/// </summary>
public interface IRuleResolver
{
    /// <summary>The rules <paramref name="user"/> has in namespace <paramref name="ns"/> (cluster-wide rules included).</summary>
    ValueTask<RuleResolution> RulesForAsync(UserInfo user, string ns, CancellationToken cancellationToken);
}

/// <summary>What a <see cref="IRuleResolver"/> found.</summary>
/// <param name="ResourceRules">The resource rules.</param>
/// <param name="NonResourceRules">The non-resource rules.</param>
/// <param name="Incomplete">True when some rules could not be listed (a binding to a missing role is not).</param>
/// <param name="EvaluationError">Why, when something went wrong while listing.</param>
public sealed record RuleResolution(
    IReadOnlyList<ResourceRule> ResourceRules, IReadOnlyList<NonResourceRule> NonResourceRules, bool Incomplete = false, string? EvaluationError = null);
