using KubeProxyFast.Api.Rbac;

namespace KubeProxyFast.ApiServer.Authorization.Rbac;

/// <summary>
/// The rules RBAC grants a user in a namespace (<see cref="RbacAuthorizer.RulesFor"/>), as
/// Kubernetes' rule resolver answers: the rules found, and the errors of bindings whose role is
/// missing (then the rules are incomplete).
/// </summary>
/// <param name="Rules">Every rule that applies, cluster-wide grants first; shared, never change them.</param>
/// <param name="Errors">Kubernetes' messages for missing roles (<c>clusterrole.rbac.authorization.k8s.io "x" not found</c>).</param>
internal sealed record RbacRules(IReadOnlyList<PolicyRule> Rules, IReadOnlyList<string> Errors)
{
    /// <summary>True when some applying binding named a missing role.</summary>
    public bool Incomplete => Errors.Count > 0;
}
