using System.Collections;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.ApiServer.FieldValidation;

/// <summary>
/// Fields of a decoded object that the model does not know. The decoder keeps them on each
/// <see cref="Extensible"/> (so nothing is lost in transit); on the way into the store they are
/// named (for Warn and Strict) and dropped, as Kubernetes' decoder drops them, so a stored object
/// never holds a field the API does not define. One walk over the decoded object, no second decode.
/// </summary>
internal static class UnknownFields
{
    private static readonly ConcurrentDictionary<Type, Step[]> Plans = new();

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
        if (value is Extensible { UnknownFields: { } unknown } extensible)
        {
            if (found is not null)
            {
                foreach (var name in unknown.Keys)
                {
                    found.Add(Path(path, name));
                }
            }

            extensible.UnknownFields = null;
        }

        foreach (var step in Plans.GetOrAdd(value.GetType(), MakePlan))
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

    /// <summary>The properties of a type that can hold model objects (directly or in a list or map): the only ones worth visiting.</summary>
    private static Step[] MakePlan(Type type)
    {
        if (KubeJson.Options.GetTypeInfo(type) is not { Kind: JsonTypeInfoKind.Object } info)
        {
            return [];
        }

        return info.Properties
            .Where(p => !p.IsExtensionData && HoldsModel(p.PropertyType))
            .Select(p => new Step(p))
            .ToArray();
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

    private readonly record struct Step(JsonPropertyInfo Property);

    private readonly record struct Segment(string? Name, int Index);
}
