using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Printing.Kinds;

/// <summary>Secrets: NAME TYPE DATA AGE; DATA counts the keys, never shows a value.</summary>
internal sealed class SecretTable : KindTable<Secret>
{
    private static readonly TableColumnDefinition[] s_columns =
    [
        Column.Name,
        Column.Text("Type", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
        Column.Text("Data", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
        Column.Age,
    ];

    /// <inheritdoc />
    public override string Resource => "secrets";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => s_columns;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(Secret obj, DateTimeOffset now) =>
        [obj.Metadata.Name ?? "", obj.Type ?? "", Cell.Integer(obj.Data?.Count ?? 0), Cell.Age(obj.Metadata.CreationTimestamp, now)];
}
