using System.Text.Json;

namespace KubeProxyFast.ApiServer.Printing;

/// <summary>Encoding of Tables as Kubernetes writes them.</summary>
internal static class TableJson
{
    /// <summary>Writes <paramref name="table"/> to <paramref name="writer"/>.</summary>
    public static void Serialize(Utf8JsonWriter writer, Table table) =>
        JsonSerializer.Serialize(writer, table, TableJsonContext.Default.Table);
}
