using System.Text.Json;
using System.Text.Json.Nodes;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>
/// <c>/openapi/v2</c>: one Swagger 2.0 document of every served resource, with the same schemas
/// and operations as the v3 documents (<see cref="SchemaBuilder"/>, <see cref="OpenApiPaths"/>).
/// Built once, on first request; served as JSON or as gnostic's protobuf.
/// </summary>
internal static class OpenApiV2
{
    /// <summary>The protobuf media type kubectl asks for (with <c>@</c>, the deprecated spelling it still sends).</summary>
    public const string ProtobufRequested = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    /// <summary>The protobuf media type as kube-openapi answers it, and also accepts.</summary>
    public const string Protobuf = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private static readonly Lazy<JsonObject> Built = new(Build);
    private static readonly Lazy<SpecDocument> BuiltJson = new(() => new SpecDocument(JsonSerializer.SerializeToUtf8Bytes(Built.Value, OpenApiJsonContext.Default.JsonObject)));
    private static readonly Lazy<SpecDocument> BuiltProtobuf = new(() => new SpecDocument(OpenApiV2Protobuf.Encode(Built.Value)));

    /// <summary>The document, as JSON.</summary>
    public static SpecDocument Document => BuiltJson.Value;

    /// <summary>The document as gnostic's protobuf message.</summary>
    public static SpecDocument ProtobufDocument => BuiltProtobuf.Value;

    private static JsonObject Build()
    {
        var schemas = new SchemaBuilder(OpenApiVersion.V2);
        var builder = new OpenApiPaths(OpenApiVersion.V2, schemas);
        var paths = new JsonObject();
        foreach (var resource in Resources.All.Concat(Resources.CreateOnly))
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
        return document;
    }
}
