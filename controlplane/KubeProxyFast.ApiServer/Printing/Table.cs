using System.Text.Json;
using System.Text.Json.Serialization;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.ApiServer.Printing;

/// <summary>
/// metav1.Table: what kubectl prints when it asks for <c>as=Table</c>. Kubernetes writes
/// <c>columnDefinitions</c> and <c>rows</c> even when empty, so they are never omitted.
/// </summary>
internal sealed class Table
{
    /// <summary>Always <c>Table</c>.</summary>
    [JsonPropertyOrder(-3)]
    public string Kind { get; init; } = "Table";

    /// <summary><c>meta.k8s.io/v1</c>, or <c>meta.k8s.io/v1beta1</c> when the client asked only for that.</summary>
    [JsonPropertyOrder(-2)]
    public string ApiVersion { get; init; } = TableAccept.GroupVersionV1;

    /// <summary>Resource version (and continue token) of the list the rows came from.</summary>
    [JsonPropertyOrder(-1)]
    public ListMeta Metadata { get; init; } = new();

    /// <summary>The columns; empty on watch events after the first (kubectl reuses the last ones).</summary>
    public IReadOnlyList<TableColumnDefinition> ColumnDefinitions { get; init; } = [];

    /// <summary>One row per object.</summary>
    public IReadOnlyList<TableRow> Rows { get; init; } = [];
}

/// <summary>metav1.TableColumnDefinition. Every field is written, as Kubernetes does (no omitempty).</summary>
/// <param name="Name">Human-readable header; kubectl upper-cases it.</param>
/// <param name="Type">OpenAPI type of the cells: <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>.</param>
/// <param name="Format">OpenAPI format, or <c>name</c> for the column that names the object.</param>
/// <param name="Description">What the column shows.</param>
/// <param name="Priority">0: always shown; 1: shown only with <c>kubectl get -o wide</c>.</param>
internal sealed record TableColumnDefinition(string Name, string Type, string Format, string Description, int Priority);

/// <summary>metav1.TableRow.</summary>
internal sealed class TableRow
{
    /// <summary>One value per column definition: a string or a 64-bit integer.</summary>
    public IReadOnlyList<object> Cells { get; init; } = [];

    /// <summary>
    /// The object the row shows: a <c>PartialObjectMetadata</c> (includeObject=Metadata, the
    /// default), the full object (includeObject=Object), or absent (includeObject=None).
    /// </summary>
    public RowObject? Object { get; init; }
}

/// <summary>
/// The <c>object</c> of a row, written straight from the object when the Table is encoded: a
/// list of 10,000 pods must not build a JSON document per row.
/// </summary>
/// <param name="Source">The object the row shows.</param>
/// <param name="Full">True for the whole object (includeObject=Object); false for its PartialObjectMetadata.</param>
/// <param name="GroupVersion">The Table's group/version, which the PartialObjectMetadata carries.</param>
[JsonConverter(typeof(RowObjectJsonConverter))]
internal sealed record RowObject(KubeObject Source, bool Full, string GroupVersion);

/// <summary>Writes a <see cref="RowObject"/>; rows are never read back, so reading is refused.</summary>
internal sealed class RowObjectJsonConverter : JsonConverter<RowObject>
{
    public override RowObject Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("table rows are written, never read");

    public override void Write(Utf8JsonWriter writer, RowObject value, JsonSerializerOptions options)
    {
        if (value.Full)
        {
            KubeJson.SerializeObject(writer, value.Source);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("kind", "PartialObjectMetadata");
        writer.WriteString("apiVersion", value.GroupVersion);
        writer.WritePropertyName("metadata");
        KubeJson.Serialize(writer, value.Source.Metadata);
        writer.WriteEndObject();
    }
}
