using System.Text.Json.Nodes;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>
/// The paths and operations of a set of resources, as Kubernetes describes them: each operation
/// names its <c>x-kubernetes-action</c> and <c>x-kubernetes-group-version-kind</c>, and the writes
/// declare <c>dryRun</c>, <c>fieldManager</c> and <c>fieldValidation</c> — kubectl reads the PATCH
/// operation's parameters to decide that the server validates fields itself, and the PATCH body's
/// content types to decide that it takes strategic merge patches.
/// </summary>
internal sealed class OpenApiPaths
{
    /// <summary>The patch types the server applies (no server-side apply).</summary>
    private static readonly string[] PatchTypes = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"];

    private static readonly string[] Produces = ["application/json", "application/yaml"];

    private const string PatchSchema = SchemaNames.Meta + "Patch";

    private readonly OpenApiVersion _version;
    private readonly SchemaBuilder _schemas;

    public OpenApiPaths(OpenApiVersion version, SchemaBuilder schemas)
    {
        _version = version;
        _schemas = schemas;
    }

    /// <summary>Adds the paths of <paramref name="resource"/> (collection, object, subresources) to <paramref name="paths"/>.</summary>
    public void Add(JsonObject paths, ResourceDefinition resource)
    {
        var kind = resource.Info;
        var schema = _schemas.AddKind(kind);
        var prefix = kind.GroupVersion.Path;
        var collection = resource.Namespaced ? prefix + "/namespaces/{namespace}/" + resource.Name : prefix + "/" + resource.Name;
        var item = collection + "/{name}";
        var id = OperationGroup(kind.GroupVersion) + (resource.Namespaced ? "Namespaced" : "");
        var gvk = SchemaBuilder.Gvk(kind, kind.Kind);
        var names = resource.Namespaced ? new[] { "namespace" } : [];
        string[] itemNames = [.. names, "name"];
        if (resource.IsCreateOnly)
        {
            // As Kubernetes describes a storage that only creates: the collection's POST, nothing else.
            paths[collection] = new JsonObject
            {
                ["post"] = Operation("post", "create" + id + kind.Kind, gvk, "create a " + kind.Kind, schema, names, body: true),
            };
            return;
        }

        paths[collection] = new JsonObject
        {
            ["get"] = Operation("list", "list" + id + kind.Kind, SchemaBuilder.Gvk(kind, kind.ListKind!), "list objects of kind " + kind.Kind,
                SchemaNames.Of(kind.ListType!), names),
            ["post"] = Operation("post", "create" + id + kind.Kind, gvk, "create a " + kind.Kind, schema, names, body: true),
        };
        paths[item] = new JsonObject
        {
            ["get"] = Operation("get", "read" + id + kind.Kind, gvk, "read the specified " + kind.Kind, schema, itemNames),
            ["put"] = Operation("put", "replace" + id + kind.Kind, gvk, "replace the specified " + kind.Kind, schema, itemNames, body: true),
            ["patch"] = Operation("patch", "patch" + id + kind.Kind, gvk, "partially update the specified " + kind.Kind, schema, itemNames, patch: true),
            ["delete"] = Operation("delete", "delete" + id + kind.Kind, gvk, "delete a " + kind.Kind, schema, itemNames),
        };

        foreach (var sub in kind.Subresources)
        {
            if (KubeKinds.Find(sub.ResponseKind.ToString(), sub.Kind) is not { } subKind)
            {
                continue; // proxy: no object, nothing to describe
            }

            var subSchema = subKind == kind ? schema : _schemas.AddKind(subKind);
            var subGvk = SchemaBuilder.Gvk(subKind, subKind.Kind);
            var what = kind.Kind + char.ToUpperInvariant(sub.Name[0]) + sub.Name[1..];
            var operations = new JsonObject();
            foreach (var verb in sub.Verbs)
            {
                var (method, verbName, description) = verb switch
                {
                    "get" => ("get", "read", "read " + sub.Name + " of the specified " + kind.Kind),
                    "update" => ("put", "replace", "replace " + sub.Name + " of the specified " + kind.Kind),
                    "patch" => ("patch", "patch", "partially update " + sub.Name + " of the specified " + kind.Kind),
                    "create" => ("post", "create", "create " + sub.Name + " of a " + kind.Kind),
                    _ => default,
                };
                if (method is not null)
                {
                    operations[method] = Operation(method, verbName + id + what, subGvk, description, subSchema, itemNames,
                        body: method is "put" or "post", patch: method == "patch");
                }
            }

            paths[item + "/" + sub.Name] = operations;
        }
    }

    /// <summary>The schemas the operations refer to beyond the kinds': the patch body.</summary>
    public static void AddCommonSchemas(IDictionary<string, JsonObject> schemas)
    {
        schemas[PatchSchema] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
        };
    }

    private JsonObject Operation(
        string action, string operationId, JsonObject gvk, string description, string schemaName, IReadOnlyList<string> pathNames,
        bool body = false, bool patch = false)
    {
        var parameters = new JsonArray();
        foreach (var name in pathNames)
        {
            parameters.Add(Parameter(name, "path", name == "name" ? "name of the object" : "object name and auth scope, such as for teams and projects"));
        }

        if (body || patch)
        {
            parameters.Add(Parameter("dryRun", "query",
                "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed"));
            parameters.Add(Parameter("fieldManager", "query",
                "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters."));
            parameters.Add(Parameter("fieldValidation", "query",
                "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: - Ignore: drops unknown fields and keeps the last of duplicates. - Warn: the same, with a warning for each in the Warning header (the default). - Strict: fails the request on unknown or duplicate fields."));
        }

        var operation = new JsonObject
        {
            ["description"] = description,
            ["operationId"] = operationId,
            ["parameters"] = parameters,
            ["responses"] = Responses(schemaName, action == "post"),
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        };
        if (body || patch)
        {
            AddBody(operation, parameters, patch ? PatchSchema : schemaName, patch ? PatchTypes : ["*/*"]);
        }

        return operation;
    }

    /// <summary>The request body: v3 a requestBody by content type, v2 a body parameter and <c>consumes</c>.</summary>
    private void AddBody(JsonObject operation, JsonArray parameters, string schemaName, string[] contentTypes)
    {
        if (_version == OpenApiVersion.V2)
        {
            parameters.Add(new JsonObject { ["in"] = "body", ["name"] = "body", ["required"] = true, ["schema"] = SchemaRef(schemaName) });
            operation["consumes"] = new JsonArray(contentTypes.Select(t => (JsonNode)t).ToArray());
            return;
        }

        var content = new JsonObject();
        foreach (var type in contentTypes)
        {
            content[type] = new JsonObject { ["schema"] = SchemaRef(schemaName) };
        }

        operation["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true };
    }

    private JsonObject Responses(string schemaName, bool created)
    {
        var responses = new JsonObject { ["200"] = Response(schemaName, "OK") };
        if (created)
        {
            responses["201"] = Response(schemaName, "Created");
        }

        return responses;
    }

    private JsonObject Response(string schemaName, string description)
    {
        if (_version == OpenApiVersion.V2)
        {
            return new JsonObject { ["description"] = description, ["schema"] = SchemaRef(schemaName) };
        }

        var content = new JsonObject();
        foreach (var type in Produces)
        {
            content[type] = new JsonObject { ["schema"] = SchemaRef(schemaName) };
        }

        return new JsonObject { ["description"] = description, ["content"] = content };
    }

    private JsonObject Parameter(string name, string location, string description)
    {
        var parameter = new JsonObject { ["name"] = name, ["in"] = location, ["description"] = description };
        if (location == "path")
        {
            parameter["required"] = true;
        }

        if (_version == OpenApiVersion.V2)
        {
            parameter["type"] = "string";
            parameter["uniqueItems"] = true;
        }
        else
        {
            parameter["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true };
        }

        return parameter;
    }

    private JsonObject SchemaRef(string name) => new() { ["$ref"] = _schemas.Reference(name) };

    /// <summary>The group and version in operation ids: <c>CoreV1</c>, <c>CoordinationV1</c>.</summary>
    private static string OperationGroup(GroupVersion groupVersion)
    {
        var package = SchemaNames.Package(groupVersion);
        return char.ToUpperInvariant(package[0]) + package[1..] + char.ToUpperInvariant(groupVersion.Version[0]) + groupVersion.Version[1..];
    }
}
