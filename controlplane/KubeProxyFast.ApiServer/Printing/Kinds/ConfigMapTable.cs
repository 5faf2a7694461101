using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Printing.Kinds;

/// <summary>ConfigMaps: NAME DATA AGE; DATA counts the keys of <c>data</c> and <c>binaryData</c> together.</summary>
internal sealed class ConfigMapTable : KindTable<ConfigMap>
{
    private static readonly TableColumnDefinition[] s_columns =
    [
        Column.Name,
        Column.Text("Data", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."),
        Column.Age,
    ];

    /// <inheritdoc />
    public override string Resource => "configmaps";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => s_columns;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(ConfigMap obj, DateTimeOffset now) =>
        [obj.Metadata.Name ?? "", Cell.Integer((obj.Data?.Count ?? 0) + (obj.BinaryData?.Count ?? 0)), Cell.Age(obj.Metadata.CreationTimestamp, now)];
}
