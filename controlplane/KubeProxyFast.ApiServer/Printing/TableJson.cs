using System.Text.Json;

namespace KubeProxyFast.ApiServer.Printing;

/// <summary>Encoding of Tables as Kubernetes writes them.</summary>
internal static class TableJson
{
    /// <summary>The response body of a GET or LIST.</summary>
    public static byte[] SerializeToUtf8Bytes(Table table) =>
        JsonSerializer.SerializeToUtf8Bytes(table, TableJsonContext.Default.Table);

    /// <summary>Writes <paramref name="table"/> to <paramref name="writer"/>.</summary>
    public static void Serialize(Utf8JsonWriter writer, Table table) =>
        JsonSerializer.Serialize(writer, table, TableJsonContext.Default.Table);

    /// <summary>The table as the <c>object</c> of a watch event.</summary>
    public static JsonElement SerializeToElement(Table table) =>
        JsonSerializer.SerializeToElement(table, TableJsonContext.Default.Table);
}
