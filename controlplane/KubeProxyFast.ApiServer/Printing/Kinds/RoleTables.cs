using System.Globalization;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Rbac;

namespace KubeProxyFast.ApiServer.Printing.Kinds;

/// <summary>Roles: NAME CREATED AT, the creation time in RFC 3339 UTC, as Kubernetes prints roles and clusterroles.</summary>
internal sealed class RoleTable : KindTable<Role>
{
    /// <inheritdoc />
    public override string Resource => "roles";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => RoleColumns.All;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(Role obj, DateTimeOffset now) => RoleColumns.Cells(obj);
}

/// <summary>ClusterRoles: NAME CREATED AT, as <see cref="RoleTable"/>.</summary>
internal sealed class ClusterRoleTable : KindTable<ClusterRole>
{
    /// <inheritdoc />
    public override string Resource => "clusterroles";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => RoleColumns.All;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(ClusterRole obj, DateTimeOffset now) => RoleColumns.Cells(obj);
}

/// <summary>The columns roles and clusterroles share.</summary>
internal static class RoleColumns
{
    /// <summary>NAME, CREATED AT (a <c>date</c> column).</summary>
    public static readonly TableColumnDefinition[] All =
    [
        Column.Name,
        new("Created At", "date", "", Column.Age.Description, 0),
    ];

    /// <summary>The name and the creation time as RFC 3339 UTC (seconds).</summary>
    public static IReadOnlyList<object> Cells(KubeObject obj) =>
        [obj.Metadata.Name ?? "", obj.Metadata.CreationTimestamp?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? ""];
}
