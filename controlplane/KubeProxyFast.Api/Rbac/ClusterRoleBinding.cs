using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Rbac;

/// <summary>rbac.authorization.k8s.io/v1 ClusterRoleBinding: grants the rules of a ClusterRole to subjects in every namespace and at the cluster scope.</summary>
public sealed class ClusterRoleBinding : KubeObject
{
    /// <summary>The users, groups and service accounts the role is granted to.</summary>
    public List<Subject>? Subjects { get; set; }

    /// <summary>The ClusterRole granted; it cannot change once created.</summary>
    public RoleRef? RoleRef { get; set; }
}

/// <summary>rbac.authorization.k8s.io/v1 ClusterRoleBindingList.</summary>
public sealed class ClusterRoleBindingList : KubeList<ClusterRoleBinding>;
