using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Patch;

namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>
/// Named schemas of the model, read from the serializer's own metadata (the JSON names, types and
/// converters the server decodes with), so a schema cannot drift from what the server accepts.
/// Every model class is one named schema referenced where it is used, with its <c>///</c> summary as
/// description; a field that is not nullable in the model is required. Lists that strategic merge
/// patch merges carry <c>x-kubernetes-patch-strategy</c> / <c>x-kubernetes-patch-merge-key</c> and
/// the matching <c>x-kubernetes-list-type</c> from <see cref="StrategicMergeKeys"/>, the server's
/// own rules: kubectl builds its apply patches from them.
/// </summary>
internal sealed class SchemaBuilder
{
    private readonly OpenApiVersion _version;
    private readonly SortedDictionary<string, JsonObject> _schemas = new(StringComparer.Ordinal);
    private readonly HashSet<Type> _inProgress = [];

    public SchemaBuilder(OpenApiVersion version)
    {
        _version = version;
    }

    /// <summary>The named schemas added so far, sorted by name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Schemas => _schemas;

    /// <summary>Where a reference to a named schema points.</summary>
    public string Reference(string name) => (_version == OpenApiVersion.V2 ? "#/definitions/" : "#/components/schemas/") + name;

    /// <summary>Adds a kind's schema (and its list's) with <c>x-kubernetes-group-version-kind</c>; returns the kind's schema name.</summary>
    public string AddKind(KindInfo kind)
    {
        var keys = StrategicMergeKeys.ForKind(kind.Kind);
        var name = AddObject(kind.Type, "", keys);
        _schemas[name]["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(kind, kind.Kind));
        if (kind.ListType is { } listType && kind.ListKind is { } listKind)
        {
            var listName = AddObject(listType, "items[]", keys);
            _schemas[listName]["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(kind, listKind));
        }

        return name;
    }

    /// <summary>A group, version and kind as the extensions write them.</summary>
    public static JsonObject Gvk(KindInfo kind, string kindName) => new() { ["group"] = kind.Group, ["kind"] = kindName, ["version"] = kind.Version };

    /// <summary>The schema to write where a value of <paramref name="type"/> is used: inline for scalars and collections, a reference for objects.</summary>
    private JsonObject Use(Type type, JsonConverter? converter, string path, StrategicMergeKeys keys)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (converter is MicroTimeJsonConverter)
        {
            return Named(SchemaNames.MicroTime, () => new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "MicroTime: an RFC 3339 time with microseconds." });
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return Named(SchemaNames.Time, () => new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "Time: an RFC 3339 time, to the second." });
        }

        if (type == typeof(IntOrString))
        {
            return Named(SchemaNames.IntOrString, () => Described(IntOrStringSchema(), typeof(IntOrString)));
        }

        if (type == typeof(Quantity))
        {
            return Named(SchemaNames.Quantity, () => Described(QuantitySchema(), typeof(Quantity)));
        }

        if (Scalar(type) is { } scalar)
        {
            return scalar;
        }

        if (type == typeof(JsonElement) || type == typeof(object))
        {
            return _version == OpenApiVersion.V3 ? new JsonObject { ["x-kubernetes-preserve-unknown-fields"] = true } : [];
        }

        var info = KubeJson.Options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable => new JsonObject { ["type"] = "array", ["items"] = Wrap(Use(info.ElementType!, null, path + "[]", keys)) },
            JsonTypeInfoKind.Dictionary => new JsonObject { ["type"] = "object", ["additionalProperties"] = Wrap(Use(info.ElementType!, null, path + "{}", keys)) },
            JsonTypeInfoKind.Object => Ref(AddObject(type, path, keys)),
            _ => [],
        };
    }

    private static JsonObject? Scalar(Type type) => type switch
    {
        _ when type == typeof(string) => new JsonObject { ["type"] = "string" },
        _ when type == typeof(bool) => new JsonObject { ["type"] = "boolean" },
        _ when type == typeof(int) || type == typeof(short) => new JsonObject { ["type"] = "integer", ["format"] = "int32" },
        _ when type == typeof(long) => new JsonObject { ["type"] = "integer", ["format"] = "int64" },
        _ when type == typeof(double) || type == typeof(float) => new JsonObject { ["type"] = "number", ["format"] = "double" },
        _ => null,
    };

    /// <summary>intstr.IntOrString: Kubernetes writes v2 as a string of format int-or-string, v3 as one of integer or string.</summary>
    private JsonObject IntOrStringSchema() => _version == OpenApiVersion.V2
        ? new JsonObject { ["type"] = "string", ["format"] = "int-or-string" }
        : new JsonObject { ["format"] = "int-or-string", ["oneOf"] = new JsonArray(Typed("integer"), Typed("string")) };

    /// <summary>resource.Quantity: a string in v2, a string or a number in v3, as Kubernetes writes it.</summary>
    private JsonObject QuantitySchema() => _version == OpenApiVersion.V2
        ? new JsonObject { ["type"] = "string" }
        : new JsonObject { ["oneOf"] = new JsonArray(Typed("string"), Typed("number")) };

    private static JsonObject Typed(string type) => new() { ["type"] = type };

    private static JsonObject Described(JsonObject schema, Type type)
    {
        if (ModelDocs.Of(type) is { } description)
        {
            schema["description"] = description;
        }

        return schema;
    }

    /// <summary>A reference to a named schema added by <paramref name="make"/> on first use.</summary>
    private JsonObject Named(string name, Func<JsonObject> make)
    {
        if (!_schemas.ContainsKey(name))
        {
            _schemas[name] = make();
        }

        return Ref(name);
    }

    private JsonObject Ref(string name) => new() { ["$ref"] = Reference(name) };

    /// <summary>v3 wraps a reference that sits beside other keywords, or in items, in <c>allOf</c>, as Kubernetes does.</summary>
    private JsonObject Wrap(JsonObject use) =>
        _version == OpenApiVersion.V3 && use.ContainsKey("$ref") ? new JsonObject { ["allOf"] = new JsonArray(use) } : use;

    /// <summary>
    /// The named schema of a model class, made on first use. Later uses at other paths walk it again
    /// only to add the list rules their kind declares there (a type such as Container sits under
    /// several kinds).
    /// </summary>
    private string AddObject(Type type, string path, StrategicMergeKeys keys)
    {
        var name = SchemaNames.Of(type);
        if (!_inProgress.Add(type))
        {
            return name;
        }

        try
        {
            var fresh = !_schemas.TryGetValue(name, out var schema);
            var properties = new JsonObject();
            var required = new JsonArray();
            if (fresh)
            {
                schema = Described(new JsonObject { ["type"] = "object" }, type);
                _schemas[name] = schema;
            }

            var info = KubeJson.Options.GetTypeInfo(type);
            foreach (var property in info.Properties)
            {
                if (property.IsExtensionData)
                {
                    continue;
                }

                var fieldPath = path.Length == 0 ? property.Name : path + "." + property.Name;
                var use = Use(property.PropertyType, property.CustomConverter, fieldPath, keys);
                if (fresh)
                {
                    properties[property.Name] = Property(use, property);
                    if (IsRequired(property))
                    {
                        required.Add(property.Name);
                    }
                }

                if (keys.Find(fieldPath) is { } merge && (fresh ? properties : schema!["properties"])?[property.Name] is JsonObject listField)
                {
                    AddListRules(listField, merge);
                }
            }

            if (fresh)
            {
                if (required.Count > 0)
                {
                    schema!["required"] = required;
                }

                schema!["properties"] = properties;
            }
        }
        finally
        {
            _inProgress.Remove(type);
        }

        return name;
    }

    /// <summary>A field's schema: its type's, with the field's description.</summary>
    private JsonObject Property(JsonObject use, JsonPropertyInfo property)
    {
        var field = use.ContainsKey("$ref") && _version == OpenApiVersion.V3 ? Wrap(use) : use;
        if (property.AttributeProvider is MemberInfo member && ModelDocs.Of(member) is { } description)
        {
            field["description"] = description;
        }

        return field;
    }

    /// <summary>Required when the model cannot leave it out: not nullable (metadata aside: the server fills it).</summary>
    private static bool IsRequired(JsonPropertyInfo property) =>
        property.IsRequired
        || (property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null)
        || (!property.PropertyType.IsValueType && !property.IsGetNullable
            && property.PropertyType != typeof(ObjectMeta) && property.PropertyType != typeof(ListMeta));

    private static void AddListRules(JsonObject field, ListMerge merge)
    {
        field["x-kubernetes-patch-strategy"] = "merge";
        if (merge.MergeKey is { } key)
        {
            field["x-kubernetes-patch-merge-key"] = key;
            field["x-kubernetes-list-type"] = "map";
            field["x-kubernetes-list-map-keys"] = new JsonArray(key);
        }
        else
        {
            field["x-kubernetes-list-type"] = "set";
        }
    }
}
