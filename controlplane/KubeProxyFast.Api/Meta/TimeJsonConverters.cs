using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeProxyFast.Api.Meta;

/// <summary>
/// metav1.Time: RFC 3339 with second precision, always written in UTC with a <c>Z</c>
/// (<c>2015-03-12T20:07:34Z</c>), as Kubernetes writes it. Any RFC 3339 offset is accepted on read.
/// </summary>
public sealed class Rfc3339TimeJsonConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc/>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TimeText.Parse(ref reader);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// metav1.MicroTime (<c>eventTime</c>): RFC 3339 with microseconds, UTC
/// (<c>2015-03-12T20:07:34.123456Z</c>).
/// </summary>
public sealed class MicroTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc/>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TimeText.Parse(ref reader);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
    }
}

internal static class TimeText
{
    public static DateTimeOffset Parse(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException(
                $"must be an RFC 3339 time string, not {IntOrStringJsonConverter.Describe(reader.TokenType)}");
        }

        var text = reader.GetString()!;
        // RFC 3339 requires a date, a 'T' (or 't'), a time and an offset; RoundtripKind-style
        // parsing of DateTimeOffset accepts exactly those shapes with or without fractions.
        if (text.Length < 20 || (text[10] != 'T' && text[10] != 't') ||
            !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            throw new JsonException($"\"{text}\" is not an RFC 3339 time (e.g. \"2015-03-12T20:07:34Z\")");
        }

        return value;
    }
}
