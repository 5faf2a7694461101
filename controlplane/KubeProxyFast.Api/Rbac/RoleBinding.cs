using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Rbac;

/// <summary>
/// rbac.authorization.k8s.io/v1 RoleBinding: grants the rules of a Role of its namespace, or of a
/// ClusterRole, to subjects within its namespace only.
/// </summary>
public sealed class RoleBinding : KubeObject
{
    /// <summary>The users, groups and service accounts the role is granted to.</summary>
    public List<Subject>? Subjects { get; set; }

    /// <summary>The Role of this namespace or the ClusterRole granted; it cannot change once created.</summary>
    public RoleRef? RoleRef { get; set; }
}

/// <summary>rbac.authorization.k8s.io/v1 RoleBindingList.</summary>
public sealed class RoleBindingList : KubeList<RoleBinding>;
