using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Rbac;

namespace KubeProxyFast.ApiServer.Printing.Kinds;

/// <summary>RoleBindings: NAME ROLE AGE, and with <c>-o wide</c> USERS GROUPS SERVICEACCOUNTS, as Kubernetes prints them.</summary>
internal sealed class RoleBindingTable : KindTable<RoleBinding>
{
    /// <inheritdoc />
    public override string Resource => "rolebindings";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => BindingColumns.All;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(RoleBinding obj, DateTimeOffset now) => BindingColumns.Cells(obj, obj.RoleRef, obj.Subjects, now);
}

/// <summary>ClusterRoleBindings: as <see cref="RoleBindingTable"/>.</summary>
internal sealed class ClusterRoleBindingTable : KindTable<ClusterRoleBinding>
{
    /// <inheritdoc />
    public override string Resource => "clusterrolebindings";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => BindingColumns.All;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(ClusterRoleBinding obj, DateTimeOffset now) => BindingColumns.Cells(obj, obj.RoleRef, obj.Subjects, now);
}

/// <summary>The columns rolebindings and clusterrolebindings share.</summary>
internal static class BindingColumns
{
    /// <summary>NAME, ROLE (<c>Kind/name</c>), AGE; wide: USERS, GROUPS, SERVICEACCOUNTS (<c>namespace/name</c>).</summary>
    public static readonly TableColumnDefinition[] All =
    [
        Column.Name,
        Column.Text("Role", "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable."),
        Column.Age,
        Column.Wide("Users", "Users in the roleBinding"),
        Column.Wide("Groups", "Groups in the roleBinding"),
        Column.Wide("ServiceAccounts", "ServiceAccounts in the roleBinding"),
    ];

    /// <summary>One binding's row.</summary>
    public static IReadOnlyList<object> Cells(KubeObject obj, RoleRef? roleRef, List<Subject>? subjects, DateTimeOffset now)
    {
        List<string> users = [], groups = [], serviceAccounts = [];
        foreach (var subject in subjects ?? [])
        {
            switch (subject.Kind)
            {
                case "User":
                    users.Add(subject.Name);
                    break;
                case "Group":
                    groups.Add(subject.Name);
                    break;
                case "ServiceAccount":
                    serviceAccounts.Add(string.IsNullOrEmpty(subject.Namespace) ? subject.Name : subject.Namespace + "/" + subject.Name);
                    break;
            }
        }

        return
        [
            obj.Metadata.Name ?? "", (roleRef?.Kind ?? "") + "/" + (roleRef?.Name ?? ""), Cell.Age(obj.Metadata.CreationTimestamp, now),
            string.Join(", ", users), string.Join(", ", groups), string.Join(", ", serviceAccounts),
        ];
    }
}
