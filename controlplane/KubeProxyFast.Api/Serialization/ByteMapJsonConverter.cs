using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeProxyFast.Api.Serialization;

/// <summary>
/// Maps of bytes (a Secret's <c>data</c>, a ConfigMap's <c>binaryData</c>): base64 strings, as
/// Go's encoding/json writes <c>[]byte</c>. A bad value names its key and the offset as Go's
/// decoder does (<c>illegal base64 data at input byte 4</c>), never the value, which may be a
/// secret. A null value is empty, as Go reads it.
/// </summary>
internal sealed class ByteMapJsonConverter : JsonConverter<Dictionary<string, byte[]>>
{
    public override Dictionary<string, byte[]> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException();
        }

        var map = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            map[key] = reader.TokenType switch
            {
                JsonTokenType.Null => [],
                JsonTokenType.String => Decode(reader.GetString()!, key),
                _ => throw new JsonException(null, new KubeDecodeException(key, "invalid value: expected a base64 string")),
            };
        }

        return map;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, byte[]> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, bytes) in value)
        {
            writer.WriteBase64String(key, bytes);
        }

        writer.WriteEndObject();
    }

    private static byte[] Decode(string text, string key)
    {
        // Go's StdEncoding skips line breaks; Convert skips all white space, so a space is checked apart.
        var cleaned = text.Contains('\r', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal)
            ? text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)
            : text;
        var bad = FirstIllegal(cleaned);
        if (bad < 0)
        {
            try
            {
                return Convert.FromBase64String(cleaned);
            }
            catch (FormatException)
            {
                bad = cleaned.Length;
            }
        }

        throw new JsonException(null, new KubeDecodeException(key,
            string.Create(CultureInfo.InvariantCulture, $"illegal base64 data at input byte {bad}")));
    }

    /// <summary>The offset of the first character outside the alphabet, of data after padding, or of a short last group; -1 when none.</summary>
    private static int FirstIllegal(string text)
    {
        var padding = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '=')
            {
                padding = padding < 0 ? i : padding;
                continue;
            }

            if (padding >= 0 || !(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/'))
            {
                return i;
            }
        }

        return text.Length % 4 == 0 ? -1 : text.Length - (text.Length % 4 == 1 ? 1 : 0);
    }
}
