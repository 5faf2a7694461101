using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Google.Protobuf.Reflection;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.ApiServer.FieldValidation;

/// <summary>
/// Fields of a decoded object that the model does not know. The decoder keeps them on each
/// <see cref="Extensible"/> (so nothing is lost in transit). On the way into the store, one that
/// Kubernetes declares for that type (<see cref="ModelMessages.KubernetesOnly"/>: <c>spec.volumes</c>,
/// <c>securityContext</c>, …) stays as written, since Kubernetes would keep it; any other is named
/// (for Warn and Strict) and dropped, as Kubernetes' decoder drops it, so a stored object never
/// holds a field the API does not define. One walk over the decoded object, no second decode.
/// </summary>
internal static class UnknownFields
{
    private static readonly ConcurrentDictionary<Type, Plan> Plans = new();

    /// <summary>Drops the unknown fields of <paramref name="value"/> and everything under it; adds their paths to <paramref name="found"/> when given.</summary>
    /// <param name="value">A decoded model object.</param>
    /// <param name="found">Receives paths as Kubernetes writes them (<c>spec.containers[0].foo</c>), or null to only drop.</param>
    public static void Drop(object value, List<string>? found)
    {
        var path = new List<Segment>();
        Walk(value, path, found);
    }

    private static void Walk(object value, List<Segment> path, List<string>? found)
    {
        var plan = Plans.GetOrAdd(value.GetType(), MakePlan);
        if (value is Extensible { UnknownFields: { } unknown } extensible)
        {
            DropUndeclared(extensible, unknown, plan.Declared, path, found);
        }

        foreach (var step in plan.Steps)
        {
            if (step.Property.Get?.Invoke(value) is not { } child)
            {
                continue;
            }

            path.Add(new Segment(step.Property.Name, -1));
            switch (child)
            {
                case IDictionary map:
                    foreach (DictionaryEntry entry in map)
                    {
                        if (entry.Value is { } item)
                        {
                            path.Add(new Segment((string)entry.Key, -1));
                            Walk(item, path, found);
                            path.RemoveAt(path.Count - 1);
                        }
                    }

                    break;
                case IList list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is { } item)
                        {
                            path.Add(new Segment(null, i));
                            Walk(item, path, found);
                            path.RemoveAt(path.Count - 1);
                        }
                    }

                    break;
                default:
                    Walk(child, path, found);
                    break;
            }

            path.RemoveAt(path.Count - 1);
        }
    }

    /// <summary>Keeps the members Kubernetes declares for the object's type; names and drops the rest.</summary>
    private static void DropUndeclared(Extensible extensible, Dictionary<string, JsonElement> unknown, FrozenDictionary<string, FieldDescriptor?> declared,
        List<Segment> path, List<string>? found)
    {
        List<string>? undeclared = null;
        foreach (var name in unknown.Keys)
        {
            if (!declared.ContainsKey(name))
            {
                found?.Add(Path(path, name));
                (undeclared ??= []).Add(name);
            }
        }

        if (undeclared is null)
        {
            return;
        }

        if (undeclared.Count == unknown.Count)
        {
            extensible.UnknownFields = null;
            return;
        }

        foreach (var name in undeclared)
        {
            unknown.Remove(name);
        }
    }

    /// <summary>
    /// What a type's walk needs: the fields Kubernetes declares that the model lacks (kept), and the
    /// properties that can hold model objects (directly or in a list or map), the only ones worth visiting.
    /// </summary>
    private static Plan MakePlan(Type type)
    {
        var declared = ModelMessages.KubernetesOnly(type);
        if (KubeJson.Options.GetTypeInfo(type) is not { Kind: JsonTypeInfoKind.Object } info)
        {
            return new Plan(declared, []);
        }

        var steps = info.Properties
            .Where(p => !p.IsExtensionData && HoldsModel(p.PropertyType))
            .Select(p => new Step(p))
            .ToArray();
        return new Plan(declared, steps);
    }

    private static bool HoldsModel(Type type)
    {
        if (typeof(Extensible).IsAssignableFrom(type))
        {
            return true;
        }

        var info = KubeJson.Options.GetTypeInfo(type);
        return info.Kind is JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary
            && typeof(Extensible).IsAssignableFrom(info.ElementType);
    }

    /// <summary><c>spec.containers[0].foo</c>: names joined by dots, list positions in brackets.</summary>
    private static string Path(List<Segment> path, string name)
    {
        var text = new StringBuilder();
        foreach (var segment in path)
        {
            if (segment.Name is null)
            {
                text.Append('[').Append(segment.Index).Append(']');
                continue;
            }

            if (text.Length > 0)
            {
                text.Append('.');
            }

            text.Append(segment.Name);
        }

        if (text.Length > 0)
        {
            text.Append('.');
        }

        return text.Append(name).ToString();
    }

    private sealed record Plan(FrozenDictionary<string, FieldDescriptor?> Declared, Step[] Steps);

    private readonly record struct Step(JsonPropertyInfo Property);

    private readonly record struct Segment(string? Name, int Index);
}
