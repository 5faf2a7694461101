using System.Text.Json.Nodes;

namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>
/// The v2 document as gnostic's <c>openapi.v2.Document</c> protobuf message
/// (<c>application/com.github.proto-openapi.spec.v2.v1.0+protobuf</c>), field numbers from
/// gnostic-models' <c>openapiv2/OpenAPIv2.proto</c>. kubectl 1.32 asks for it when it validates a
/// manifest itself — a <c>kind: List</c>, for which it does not trust the server's field validation
/// — and as its fallback when v3 is missing. What kubectl reads is written: <c>swagger</c>,
/// <c>info</c> and the definitions with their extensions; paths are left out (kubectl takes them
/// from v3).
/// </summary>
internal static class OpenApiV2Protobuf
{
    /// <summary>Encodes the JSON form of the v2 document.</summary>
    public static byte[] Encode(JsonObject document)
    {
        var root = new ProtoWriter();
        root.String(1, (string?)document["swagger"]);
        if (document["info"] is JsonObject info)
        {
            var message = new ProtoWriter();
            message.String(1, (string?)info["title"]);
            message.String(2, (string?)info["version"]);
            root.Message(2, message);
        }

        if (document["definitions"] is JsonObject definitions)
        {
            root.Message(9, NamedSchemas(definitions));
        }

        return root.ToArray();
    }

    /// <summary>Definitions and Properties: <c>repeated NamedSchema additional_properties = 1</c>.</summary>
    private static ProtoWriter NamedSchemas(JsonObject schemas)
    {
        var message = new ProtoWriter();
        foreach (var (name, schema) in schemas)
        {
            var named = new ProtoWriter();
            named.String(1, name);
            named.Message(2, Schema(schema as JsonObject ?? []));
            message.Message(1, named);
        }

        return message;
    }

    private static ProtoWriter Schema(JsonObject schema)
    {
        var message = new ProtoWriter();
        message.String(1, (string?)schema["$ref"]);
        message.String(2, (string?)schema["format"]);
        message.String(4, (string?)schema["description"]);
        message.Bool(16, schema["uniqueItems"] is JsonValue unique && (bool)unique);
        if (schema["required"] is JsonArray required)
        {
            foreach (var field in required)
            {
                message.String(19, (string?)field);
            }
        }

        switch (schema["additionalProperties"])
        {
            case JsonObject values:
                var item = new ProtoWriter();
                item.Message(1, Schema(values));
                message.Message(21, item);
                break;
            case JsonValue flag:
                var boolean = new ProtoWriter();
                boolean.Bool(2, (bool)flag);
                message.Message(21, boolean);
                break;
        }

        if (schema["type"] is JsonValue type)
        {
            var typeItem = new ProtoWriter();
            typeItem.String(1, (string?)type);
            message.Message(22, typeItem);
        }

        if (schema["items"] is JsonObject items)
        {
            var itemsItem = new ProtoWriter();
            itemsItem.Message(1, Schema(items));
            message.Message(23, itemsItem);
        }

        if (schema["properties"] is JsonObject properties)
        {
            message.Message(25, NamedSchemas(properties));
        }

        foreach (var (name, value) in schema)
        {
            if (name.StartsWith("x-", StringComparison.Ordinal))
            {
                // NamedAny { name = 1; Any value = 2 }, Any { yaml = 2 }: JSON is YAML, and that is how gnostic reads it.
                var any = new ProtoWriter();
                any.String(2, value?.ToJsonString() ?? "null");
                var named = new ProtoWriter();
                named.String(1, name);
                named.Message(2, any);
                message.Message(31, named);
            }
        }

        return message;
    }
}
