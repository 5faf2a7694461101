namespace KubeProxyFast.ApiServer.Authorization.Rbac;

/// <summary>
/// One binding as the index keeps it: which role it grants, resolved at request time (a role may
/// change or appear after its binding).
/// </summary>
/// <param name="BindingNamespace">The RoleBinding's namespace; empty for a ClusterRoleBinding.</param>
/// <param name="BindingName">The binding's name.</param>
/// <param name="RoleKind"><c>Role</c> or <c>ClusterRole</c>.</param>
/// <param name="RoleName">The role's name.</param>
internal sealed record RbacGrant(string BindingNamespace, string BindingName, string RoleKind, string RoleName);

/// <summary>The grants of a set of bindings by the user names and groups they name.</summary>
internal sealed class SubjectIndex
{
    /// <summary>Grants by user name (service accounts as <c>system:serviceaccount:ns:name</c>).</summary>
    public Dictionary<string, List<RbacGrant>> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>Grants by group.</summary>
    public Dictionary<string, List<RbacGrant>> Groups { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="grant"/> under <paramref name="key"/>.</summary>
    public static void Add(Dictionary<string, List<RbacGrant>> map, string key, RbacGrant grant)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        if (!list.Contains(grant))
        {
            list.Add(grant);
        }
    }
}
