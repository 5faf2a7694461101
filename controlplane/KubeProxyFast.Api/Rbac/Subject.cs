using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Rbac;

/// <summary>rbac.authorization.k8s.io/v1 Subject: a user, a group or a service account a binding grants to.</summary>
public sealed class Subject : Extensible
{
    /// <summary><c>User</c>, <c>Group</c> or <c>ServiceAccount</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary><c>rbac.authorization.k8s.io</c> for users and groups; empty for service accounts.</summary>
    public string? ApiGroup { get; set; }

    /// <summary>The user, group or service account name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The service account's namespace; required for service accounts, empty for users and groups.</summary>
    public string? Namespace { get; set; }
}

/// <summary>rbac.authorization.k8s.io/v1 RoleRef: the role a binding grants.</summary>
public sealed class RoleRef : Extensible
{
    /// <summary>Always <c>rbac.authorization.k8s.io</c>.</summary>
    public string ApiGroup { get; set; } = "";

    /// <summary><c>Role</c> (RoleBindings only) or <c>ClusterRole</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The role's name.</summary>
    public string Name { get; set; } = "";
}
