using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>
/// OpenAPI v3 as kube-apiserver serves it: an index at <c>/openapi/v3</c> naming one document per
/// group version (<c>api/v1</c>, <c>apis/coordination.k8s.io/v1</c>) by a URL that carries the
/// document's hash, and the documents themselves with their paths and schemas. kubectl reads them
/// to validate (does PATCH take <c>fieldValidation</c>?), to build apply patches and to explain.
/// Built once, on first request.
/// </summary>
internal static class OpenApiV3
{
    /// <summary>Path of the index.</summary>
    public const string Root = "/openapi/v3";

    private static readonly Lazy<FrozenDictionary<string, SpecDocument>> Documents = new(BuildDocuments);
    private static readonly Lazy<SpecDocument> BuiltIndex = new(BuildIndex);

    /// <summary>The index: every group version's document by its URL with hash.</summary>
    public static SpecDocument Index => BuiltIndex.Value;

    /// <summary>The document of a group version path (<c>api/v1</c>, <c>apis/coordination.k8s.io/v1</c>), or null.</summary>
    public static SpecDocument? Find(string groupVersionPath) => Documents.Value.GetValueOrDefault(groupVersionPath);

    /// <summary>The URL of a document that its hash makes immutable.</summary>
    public static string ServerRelativeUrl(string groupVersionPath, SpecDocument document) => Root + "/" + groupVersionPath + "?hash=" + document.Hash;

    /// <summary>The info object of every document.</summary>
    public static JsonObject Info() => new()
    {
        ["title"] = "KubeProxyFast",
        ["version"] = KubernetesVersion.GitVersion,
    };

    private static FrozenDictionary<string, SpecDocument> BuildDocuments() =>
        Resources.All.Concat(Resources.CreateOnly).GroupBy(r => r.Info.GroupVersion)
            .ToFrozenDictionary(g => g.Key.Path.TrimStart('/'), g => Build(g), StringComparer.Ordinal);

    private static SpecDocument Build(IEnumerable<ResourceDefinition> resources)
    {
        var schemas = new SchemaBuilder(OpenApiVersion.V3);
        var builder = new OpenApiPaths(OpenApiVersion.V3, schemas);
        var paths = new JsonObject();
        foreach (var resource in resources)
        {
            builder.Add(paths, resource);
        }

        var components = new SortedDictionary<string, JsonObject>(schemas.Schemas.ToDictionary(), StringComparer.Ordinal);
        OpenApiPaths.AddCommonSchemas(components);
        var document = new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = Info(),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = new JsonObject(components.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
            },
        };
        return new SpecDocument(JsonSerializer.SerializeToUtf8Bytes(document, OpenApiJsonContext.Default.JsonObject));
    }

    private static SpecDocument BuildIndex()
    {
        var paths = new JsonObject();
        foreach (var groupVersion in KubeKinds.ServedGroupVersions)
        {
            var path = groupVersion.Path.TrimStart('/');
            if (Find(path) is { } document)
            {
                paths[path] = new JsonObject { ["serverRelativeURL"] = ServerRelativeUrl(path, document) };
            }
        }

        return new SpecDocument(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["paths"] = paths }, OpenApiJsonContext.Default.JsonObject));
    }
}
