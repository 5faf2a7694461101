using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Rbac;

/// <summary>rbac.authorization.k8s.io/v1 Role: a namespaced set of rules, granted to subjects by RoleBindings of its namespace.</summary>
public sealed class Role : KubeObject
{
    /// <summary>All the rules of this Role: a request is allowed when any rule matches it.</summary>
    public List<PolicyRule>? Rules { get; set; }
}

/// <summary>rbac.authorization.k8s.io/v1 RoleList.</summary>
public sealed class RoleList : KubeList<Role>;
