using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Printing.Kinds;

/// <summary>Namespaces: NAME STATUS AGE; STATUS is the phase (<c>Active</c> or <c>Terminating</c>).</summary>
internal sealed class NamespaceTable : KindTable<Namespace>
{
    private static readonly TableColumnDefinition[] s_columns =
    [
        Column.Name,
        Column.Text("Status", "The status of the namespace"),
        Column.Age,
    ];

    /// <inheritdoc />
    public override string Resource => "namespaces";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => s_columns;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(Namespace obj, DateTimeOffset now) =>
        [obj.Metadata.Name ?? "", obj.Status?.Phase ?? "", Cell.Age(obj.Metadata.CreationTimestamp, now)];
}
