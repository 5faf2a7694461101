using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Rbac;

/// <summary>
/// rbac.authorization.k8s.io/v1 ClusterRole: a cluster-wide set of rules, granted everywhere by a
/// ClusterRoleBinding or in one namespace by a RoleBinding.
/// </summary>
public sealed class ClusterRole : KubeObject
{
    /// <summary>All the rules of this ClusterRole: a request is allowed when any rule matches it.</summary>
    public List<PolicyRule>? Rules { get; set; }

    /// <summary>
    /// How this ClusterRole's rules would be aggregated from other ClusterRoles by label; kept as
    /// written (this server runs no aggregation controller).
    /// </summary>
    public AggregationRule? AggregationRule { get; set; }
}

/// <summary>rbac.authorization.k8s.io/v1 ClusterRoleList.</summary>
public sealed class ClusterRoleList : KubeList<ClusterRole>;

/// <summary>rbac.authorization.k8s.io/v1 AggregationRule: the ClusterRoles whose rules a ClusterRole aggregates.</summary>
public sealed class AggregationRule : Extensible
{
    /// <summary>Selectors of the ClusterRoles to aggregate; a ClusterRole matching any of them contributes its rules.</summary>
    public List<LabelSelector>? ClusterRoleSelectors { get; set; }
}
