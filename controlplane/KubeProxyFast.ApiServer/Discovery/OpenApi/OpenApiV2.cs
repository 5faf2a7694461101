using System.Text.Json;
using System.Text.Json.Nodes;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>
/// <c>/openapi/v2</c>: one Swagger 2.0 document of every served resource, with the same schemas
/// and operations as the v3 documents (<see cref="SchemaBuilder"/>, <see cref="OpenApiPaths"/>).
/// Built once, on first request.
/// </summary>
internal static class OpenApiV2
{
    private static readonly Lazy<SpecDocument> Built = new(Build);

    /// <summary>The document.</summary>
    public static SpecDocument Document => Built.Value;

    private static SpecDocument Build()
    {
        var schemas = new SchemaBuilder(OpenApiVersion.V2);
        var builder = new OpenApiPaths(OpenApiVersion.V2, schemas);
        var paths = new JsonObject();
        foreach (var resource in Resources.All)
        {
            builder.Add(paths, resource);
        }

        var definitions = new SortedDictionary<string, JsonObject>(schemas.Schemas.ToDictionary(), StringComparer.Ordinal);
        OpenApiPaths.AddCommonSchemas(definitions);
        var document = new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = OpenApiV3.Info(),
            ["paths"] = paths,
            ["definitions"] = new JsonObject(definitions.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))),
        };
        return new SpecDocument(JsonSerializer.SerializeToUtf8Bytes(document, OpenApiJsonContext.Default.JsonObject));
    }
}
