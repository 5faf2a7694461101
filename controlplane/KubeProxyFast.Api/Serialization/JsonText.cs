using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace KubeProxyFast.Api.Serialization;

/// <summary>
/// Finds what System.Text.Json decodes without complaint but the code after it cannot take:
/// strings that are not text (bytes that are not UTF-8, <c>\u</c> escapes of a lone surrogate),
/// on which it throws <see cref="InvalidOperationException"/> only when the string is read — in a
/// patch, a type check, wherever — and <c>null</c> list elements, which
/// <c>RespectNullableAnnotations</c> lets through (it covers properties, not elements) to
/// defaulting and validation. Each was a 500; found here first, they are a 400 naming the field.
/// No list of the v1 API holds a null (Go decodes one as an empty value).
/// </summary>
public static class JsonText
{
    /// <summary>Checks every string, property name and list element of <paramref name="json"/>; malformed JSON is left to the decoder, which says where.</summary>
    /// <exception cref="KubeDecodeException">A string that is not text or a null in a list, naming the field.</exception>
    public static void Check(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var path = new List<Segment>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        CheckString(ref reader, json, path);
                        // Where the name is, not the name: a string is made only for an error.
                        path[^1] = reader.ValueIsEscaped
                            ? path[^1] with { EscapedName = reader.GetString(), NameStart = 0, NameLength = 0 }
                            : path[^1] with { EscapedName = null, NameStart = (int)reader.TokenStartIndex + 1, NameLength = reader.ValueSpan.Length };
                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(path);
                        path.Add(new Segment(reader.TokenType == JsonTokenType.StartArray, -1, null, 0, 0));
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        continue;
                    case JsonTokenType.Null:
                        Advance(path);
                        if (path.Count > 0 && path[^1].IsList)
                        {
                            throw new KubeDecodeException(Field(json, path), "invalid value: null is not allowed in a list");
                        }

                        continue;
                    case JsonTokenType.String:
                        Advance(path);
                        CheckString(ref reader, json, path);
                        continue;
                    default:
                        Advance(path);
                        continue;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed: the decoder reports it with its position.
        }
    }

    private static void CheckString(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, List<Segment> path)
    {
        if (!reader.ValueIsEscaped)
        {
            if (!Utf8.IsValid(reader.ValueSpan))
            {
                throw new KubeDecodeException(Field(json, path), "invalid value: the string is not valid UTF-8");
            }

            return;
        }

        try
        {
            reader.GetString();
        }
        catch (InvalidOperationException e)
        {
            throw new KubeDecodeException(Field(json, path), $"invalid value: the string is not text: {e.Message}");
        }
    }

    /// <summary>A value starts: in a list, it is the next element.</summary>
    private static void Advance(List<Segment> path)
    {
        if (path.Count > 0 && path[^1].IsList)
        {
            path[^1] = path[^1] with { Index = path[^1].Index + 1 };
        }
    }

    private static string Field(ReadOnlySpan<byte> json, List<Segment> path)
    {
        var field = new StringBuilder();
        foreach (var segment in path)
        {
            if (segment.IsList)
            {
                if (segment.Index >= 0)
                {
                    field.Append('[').Append(segment.Index).Append(']');
                }
            }
            else if (segment.EscapedName is not null || segment.NameLength > 0)
            {
                field.Append(field.Length == 0 ? "" : ".")
                    .Append(segment.EscapedName ?? Encoding.UTF8.GetString(json.Slice(segment.NameStart, segment.NameLength)));
            }
        }

        return field.ToString();
    }

    /// <summary>
    /// An object (where in the JSON the name of the member being read is, or the name itself when
    /// it was escaped) or a list (the index of the element).
    /// </summary>
    private readonly record struct Segment(bool IsList, int Index, string? EscapedName, int NameStart, int NameLength);
}
