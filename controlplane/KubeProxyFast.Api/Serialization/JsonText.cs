using System.Text.Json;
using System.Text.Unicode;

namespace KubeProxyFast.Api.Serialization;

/// <summary>
/// Finds JSON strings that are not text: bytes that are not UTF-8, or <c>\u</c> escapes of a
/// lone surrogate (<c>"\ud800"</c>). System.Text.Json reads past them and throws
/// <see cref="InvalidOperationException"/> only when such a string is read — in the typed
/// decoder, a patch or a type check, wherever that happens — which made them 500s.
/// </summary>
public static class JsonText
{
    /// <summary>Checks every string and property name of <paramref name="json"/>; malformed JSON is left to the decoder, which says where.</summary>
    /// <exception cref="KubeDecodeException">A string that is not text, named by its line and column.</exception>
    public static void CheckStrings(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                if (!reader.ValueIsEscaped)
                {
                    if (!Utf8.IsValid(reader.ValueSpan))
                    {
                        throw NotText(json, reader.TokenStartIndex, "is not valid UTF-8");
                    }

                    continue;
                }

                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException e)
                {
                    throw NotText(json, reader.TokenStartIndex, $"is not text: {e.Message}");
                }
            }
        }
        catch (JsonException)
        {
            // Malformed: the decoder reports it with its position.
        }
    }

    private static KubeDecodeException NotText(ReadOnlySpan<byte> json, long offset, string problem)
    {
        var before = json[..(int)offset];
        var line = before.Count((byte)'\n') + 1;
        var column = before.Length - before.LastIndexOf((byte)'\n');
        return new KubeDecodeException("", $"the string at line {line}, column {column} {problem}");
    }
}
