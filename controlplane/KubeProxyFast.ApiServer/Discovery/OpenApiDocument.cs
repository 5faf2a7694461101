using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Discovery;

/// <summary>
/// <c>/openapi/v2</c>: a Swagger 2.0 document of the API — every path with its operations and
/// <c>x-kubernetes-group-version-kind</c>, and a schema per kind generated from the model
/// itself, so it cannot drift from what the server decodes. Built once, served as JSON.
/// </summary>
internal static class OpenApiDocument
{
    private static readonly Lazy<byte[]> Document = new(Build);

    /// <summary>The document's bytes.</summary>
    public static ReadOnlyMemory<byte> Json => Document.Value;

    /// <summary>The definition name of a kind, in Kubernetes' naming: <c>io.k8s.api.core.v1.Pod</c>, <c>io.k8s.api.coordination.v1.Lease</c>.</summary>
    public static string DefinitionName(KindInfo kind) => "io.k8s.api." + Package(kind.GroupVersion) + "." + kind.Version + "." + kind.Kind;

    private static byte[] Build()
    {
        var definitions = new JsonObject();
        var paths = new JsonObject();
        foreach (var resource in Resources.All)
        {
            var schema = Swagger2(JsonSchemaExporter.GetJsonSchemaAsNode(KubeJson.Options, resource.Type,
                new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true }));
            // A list in definitions (one schema may serve several versions), a single object in operations, as Kubernetes writes them.
            schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(resource.Info));
            definitions[DefinitionName(resource.Info)] = schema;
            var reference = new JsonObject { ["$ref"] = "#/definitions/" + DefinitionName(resource.Info) };
            var prefix = resource.Info.GroupVersion.Path;
            var collection = resource.Namespaced ? prefix + "/namespaces/{namespace}/" + resource.Name : prefix + "/" + resource.Name;
            paths[collection] = new JsonObject
            {
                ["get"] = Operation("list", resource, reference),
                ["post"] = Operation("create", resource, reference),
            };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["get"] = Operation("get", resource, reference),
                ["put"] = Operation("replace", resource, reference),
                ["patch"] = Operation("patch", resource, reference),
                ["delete"] = Operation("delete", resource, reference),
            };
        }

        var document = new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "KubeProxyFast", ["version"] = KubernetesVersion.GitVersion },
            ["paths"] = paths,
            ["definitions"] = definitions,
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, OpenApiJsonContext.Default.JsonObject);
    }

    private static JsonObject Operation(string action, ResourceDefinition resource, JsonObject schema) => new()
    {
        ["operationId"] = action + OperationGroup(resource.Info.GroupVersion) + (resource.Namespaced ? "Namespaced" : "") + resource.Kind,
        ["x-kubernetes-action"] = action,
        ["x-kubernetes-group-version-kind"] = Gvk(resource.Info),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK", ["schema"] = schema.DeepClone() } },
    };

    private static JsonObject Gvk(KindInfo kind) => new() { ["group"] = kind.Group, ["kind"] = kind.Kind, ["version"] = kind.Version };

    /// <summary>The Go package of a group: <c>core</c>, <c>coordination</c> (coordination.k8s.io).</summary>
    private static string Package(GroupVersion groupVersion) => groupVersion.IsCore ? "core" : groupVersion.Group.Split('.')[0];

    /// <summary>The group and version in operation ids: <c>CoreV1</c>, <c>CoordinationV1</c>.</summary>
    private static string OperationGroup(GroupVersion groupVersion)
    {
        var package = Package(groupVersion);
        return char.ToUpperInvariant(package[0]) + package[1..] + char.ToUpperInvariant(groupVersion.Version[0]) + groupVersion.Version[1..];
    }

    /// <summary>
    /// JSON Schema as .NET exports it, made Swagger 2.0: a nullable type list becomes its one
    /// type, and the "anything" schema of custom-converted fields (times, int-or-string) becomes
    /// an empty schema.
    /// </summary>
    private static JsonObject Swagger2(JsonNode? node)
    {
        if (node is not JsonObject schema)
        {
            return [];
        }

        if (schema["type"] is JsonArray types)
        {
            var single = types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null");
            schema["type"] = single;
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var property in properties.Select(p => p.Key).ToList())
            {
                properties[property] = Swagger2(properties[property]);
            }
        }

        foreach (var name in new[] { "items", "additionalProperties" })
        {
            if (schema[name] is JsonObject)
            {
                schema[name] = Swagger2(schema[name]);
            }
        }

        return schema;
    }
}
