using System.Collections.Frozen;
using Google.Protobuf.Reflection;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Protobuf;

/// <summary>
/// The Kubernetes message of each model type, found by walking every kind's (and list's, and
/// meta/v1 body's) JSON properties together with its message, field by JSON name; and from it the
/// fields Kubernetes declares for that type which our model lacks: proto fields of plain types we
/// carry without modelling, and the <c>(kubeproxyfast.protobuf.unmodelled)</c> names. Such a field
/// of a JSON body is Kubernetes' own, so it is kept as written, never called unknown.
/// Computed once, on first use.
/// </summary>
public static class ModelMessages
{
    private static readonly FrozenDictionary<string, FieldDescriptor?> None = FrozenDictionary<string, FieldDescriptor?>.Empty;

    private static readonly FrozenDictionary<Type, MessageDescriptor> Messages = Walk();

    private static readonly FrozenDictionary<Type, FrozenDictionary<string, FieldDescriptor?>> KubernetesOnlyFields =
        Messages.ToFrozenDictionary(p => p.Key, p => KubernetesOnly(p.Key, p.Value));

    /// <summary>The message of model type <paramref name="type"/>, or null for a type no kind reaches.</summary>
    public static MessageDescriptor? For(Type type) => Messages.GetValueOrDefault(type);

    /// <summary>
    /// The JSON names Kubernetes declares for <paramref name="type"/>'s object that the model has no
    /// property for, each with its proto field, or null when its type is a message we do not model
    /// (<c>PodSpec.volumes</c>); empty for a type no kind reaches.
    /// </summary>
    public static FrozenDictionary<string, FieldDescriptor?> KubernetesOnly(Type type) => KubernetesOnlyFields.GetValueOrDefault(type, None);

    private static FrozenDictionary<Type, MessageDescriptor> Walk()
    {
        var found = new Dictionary<Type, MessageDescriptor>();
        foreach (var kind in KubeKinds.All)
        {
            if (KubeProtoMessages.ForKind(kind) is { } message)
            {
                Walk(kind.Type, message, found);
            }

            if (kind.ListType is { } listType && KubeProtoMessages.ForListKind(kind) is { } listMessage)
            {
                Walk(listType, listMessage, found);
            }
        }

        foreach (var type in new[] { typeof(Status), typeof(DeleteOptions), typeof(WatchEvent) })
        {
            Walk(type, KubeProtoMessages.Find("k8s.io.apimachinery.pkg.apis.meta.v1." + type.Name)!, found);
        }

        return found.ToFrozenDictionary();
    }

    /// <summary>Pairs <paramref name="type"/> with <paramref name="message"/>, then each property holding model objects with its field's message (a type met again keeps its first message).</summary>
    private static void Walk(Type type, MessageDescriptor message, Dictionary<Type, MessageDescriptor> found)
    {
        if (!found.TryAdd(type, message))
        {
            return;
        }

        foreach (var property in KubeJson.Options.GetTypeInfo(type).Properties)
        {
            if (property.IsExtensionData
                || ModelElement(property.PropertyType) is not { } element
                || KubeProtoMessages.FindByJsonName(message, property.Name) is not { FieldType: FieldType.Message } field)
            {
                continue;
            }

            var value = field.IsMap ? field.MessageType.FindFieldByNumber(2) : field;
            if (value.FieldType == FieldType.Message)
            {
                Walk(element, value.MessageType, found);
            }
        }
    }

    /// <summary>The model type a property holds, itself or as the items of a list or values of a map; null when it holds none.</summary>
    private static Type? ModelElement(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var element = type.GetInterfaces().Append(type)
            .Where(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IList<>) || i.GetGenericTypeDefinition() == typeof(IDictionary<,>)))
            .Select(i => i.GetGenericArguments()[^1])
            .FirstOrDefault() ?? type;
        return typeof(Extensible).IsAssignableFrom(element) ? element : null;
    }

    private static FrozenDictionary<string, FieldDescriptor?> KubernetesOnly(Type type, MessageDescriptor message)
    {
        var modelled = KubeJson.Options.GetTypeInfo(type).Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var fields = new Dictionary<string, FieldDescriptor?>(StringComparer.Ordinal);
        foreach (var field in KubeProtoMessages.JsonFields(message).Where(f => !modelled.Contains(f.Name)))
        {
            fields[field.Name] = field;
        }

        foreach (var name in KubeProtoMessages.Unmodelled(message).Where(n => !modelled.Contains(n)))
        {
            fields[name] = null;
        }

        return fields.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
