using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Google.Protobuf.Reflection;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Tests.Protobuf;

/// <summary>
/// Walks a model type's JSON properties (System.Text.Json metadata of <see cref="KubeJson.Options"/>)
/// and a proto message together, and lists every JSON property that has no proto field of the same
/// name, or whose field's type cannot carry it. What a descriptor-driven transcoder relies on.
/// </summary>
internal static class ModelProtoWalker
{
    private const string MetaPackage = "k8s.io.apimachinery.pkg.apis.meta.v1.";

    /// <summary>
    /// The mismatches under <paramref name="type"/> and <paramref name="message"/>. The
    /// <c>kind</c> and <c>apiVersion</c> of the body and of list items are not fields of
    /// Kubernetes' messages: they travel in the runtime.Unknown envelope (items carry none).
    /// </summary>
    public static List<string> Mismatches(Type type, MessageDescriptor message)
    {
        var found = new List<string>();
        WalkObject(type, message, message.Name, topLevel: true, found, []);
        return found;
    }

    private static void WalkObject(Type type, MessageDescriptor message, string path, bool topLevel, List<string> found, HashSet<(Type, string)> seen)
    {
        if (!seen.Add((type, message.FullName)))
        {
            return;
        }

        // A property Kubernetes types with a message we do not declare (extra's ExtraValue) is named
        // unmodelled: JSON carries it, protobuf drops it (Protobuf/README.md, named slices).
        var unmodelled = KubeProtoMessages.Unmodelled(message).ToHashSet(StringComparer.Ordinal);
        foreach (var property in KubeJson.Options.GetTypeInfo(type).Properties)
        {
            if (property.IsExtensionData || unmodelled.Contains(property.Name)
                || ((topLevel || type.IsAssignableTo(typeof(KubeObject))) && property.Name is "kind" or "apiVersion"))
            {
                continue;
            }

            var where = path + "." + property.Name;
            var field = KubeProtoMessages.FindByJsonName(message, property.Name);
            if (field is null)
            {
                found.Add($"{where}: no field named '{property.Name}' in {message.FullName}");
                continue;
            }

            CheckField(property, field, where, found, seen);
        }
    }

    private static void CheckField(JsonPropertyInfo property, FieldDescriptor field, string where, List<string> found, HashSet<(Type, string)> seen)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type != typeof(string) && type != typeof(byte[]) && Dictionary(type) is { } valueType)
        {
            if (!field.IsMap)
            {
                found.Add($"{where}: a JSON object of {valueType.Name} but field {field.FieldNumber} is not a map");
                return;
            }

            CheckValue(valueType, property, field.MessageType.FindFieldByNumber(2), where + "{}", found, seen);
            return;
        }

        if (type != typeof(string) && type != typeof(byte[]) && ListElement(type) is { } elementType)
        {
            if (!field.IsRepeated || field.IsMap)
            {
                found.Add($"{where}: a JSON array but field {field.FieldNumber} is not repeated");
                return;
            }

            CheckValue(elementType, property, field, where + "[]", found, seen);
            return;
        }

        if (field.IsRepeated)
        {
            found.Add($"{where}: a single JSON value but field {field.FieldNumber} is repeated");
            return;
        }

        CheckValue(type, property, field, where, found, seen);
    }

    private static void CheckValue(Type type, JsonPropertyInfo property, FieldDescriptor field, string where, List<string> found, HashSet<(Type, string)> seen)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var expected = Expected(type, property);
        if (expected is not null)
        {
            var actual = field.FieldType == FieldType.Message ? field.MessageType.FullName : field.FieldType.ToString();
            if (actual != expected)
            {
                found.Add($"{where}: {type.Name} needs {expected} but field {field.FieldNumber} is {actual}");
            }

            return;
        }

        if (field.FieldType != FieldType.Message)
        {
            found.Add($"{where}: {type.Name} is a JSON object but field {field.FieldNumber} is {field.FieldType}");
            return;
        }

        WalkObject(type, field.MessageType, where, topLevel: false, found, seen);
    }

    /// <summary>The proto type a leaf CLR type needs (a FieldType name or a message's full name); null for objects.</summary>
    private static string? Expected(Type type, JsonPropertyInfo property) =>
        type == typeof(string) ? nameof(FieldType.String)
        : type == typeof(int) ? nameof(FieldType.Int32)
        : type == typeof(long) ? nameof(FieldType.Int64)
        : type == typeof(bool) ? nameof(FieldType.Bool)
        : type == typeof(byte[]) ? nameof(FieldType.Bytes)
        : type == typeof(DateTimeOffset) ? MetaPackage + (IsMicroTime(property) ? "MicroTime" : "Time")
        : type == typeof(IntOrString) ? "k8s.io.apimachinery.pkg.util.intstr.IntOrString"
        : type == typeof(Quantity) ? "k8s.io.apimachinery.pkg.api.resource.Quantity"
        : type == typeof(JsonElement) ? "k8s.io.apimachinery.pkg.runtime.RawExtension"
        : null;

    private static bool IsMicroTime(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(JsonConverterAttribute), inherit: false)
            .OfType<JsonConverterAttribute>().Any(a => a.ConverterType == typeof(MicroTimeJsonConverter)) == true;

    private static Type? Dictionary(Type type) =>
        type.GetInterfaces().Append(type)
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))
            .Select(i => i.GetGenericArguments()[1])
            .FirstOrDefault();

    private static Type? ListElement(Type type) =>
        type.GetInterfaces().Append(type)
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>))
            .Select(i => i.GetGenericArguments()[0])
            .FirstOrDefault();
}
