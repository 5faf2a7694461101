using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeProxyFast.Api.Serialization;

/// <summary>
/// Maps of strings (labels, annotations, selectors) that refuse a null value, naming the key.
/// Written with sorted keys. <c>RespectNullableAnnotations</c> covers properties but not a collection's elements, so
/// <c>"labels": {"app": null}</c> reached validation as a null and was a 500.
/// </summary>
internal sealed class StringMapJsonConverter : JsonConverter<Dictionary<string, string>>
{
    public override Dictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // No message: the serializer's own names the type, which JsonErrors words as "an object (a map)".
            throw new JsonException();
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                // JsonErrors puts the key after the map's path.
                throw new JsonException(null, new KubeDecodeException(key, reader.TokenType == JsonTokenType.Null
                    ? "invalid value: null is not allowed here"
                    : "invalid value: expected a string"));
            }

            // A repeated key keeps its last value, as System.Text.Json's own maps do.
            map[key] = reader.GetString()!;
        }

        return map;
    }

    /// <summary>Keys in ordinal order, as Go's encoder sorts a map's keys: the same map is always the same bytes.</summary>
    public override void Write(Utf8JsonWriter writer, Dictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        var keys = ArrayPool<string>.Shared.Rent(value.Count);
        try
        {
            value.Keys.CopyTo(keys, 0);
            Array.Sort(keys, 0, value.Count, StringComparer.Ordinal);
            for (var i = 0; i < value.Count; i++)
            {
                writer.WriteString(keys[i], value[keys[i]]);
            }
        }
        finally
        {
            ArrayPool<string>.Shared.Return(keys, clearArray: true);
        }

        writer.WriteEndObject();
    }
}
