using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeProxyFast.Api.Meta;

/// <summary>
/// intstr.IntOrString: a port number or a port name (<c>targetPort</c>, probe ports). On the wire
/// it is a JSON number or a JSON string, never an object.
/// </summary>
[JsonConverter(typeof(IntOrStringJsonConverter))]
public readonly struct IntOrString : IEquatable<IntOrString>
{
    private readonly string? _string;

    private IntOrString(int value, string? text)
    {
        IntValue = value;
        _string = text;
    }

    /// <summary>True when this holds a string (a named port).</summary>
    public bool IsString => _string is not null;

    /// <summary>The integer value; 0 when <see cref="IsString"/>.</summary>
    public int IntValue { get; }

    /// <summary>The string value; empty when this holds an integer.</summary>
    public string StringValue => _string ?? "";

    /// <summary>An integer value.</summary>
    public static IntOrString FromInt(int value) => new(value, null);

    /// <summary>A string value.</summary>
    public static IntOrString FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(0, value);
    }

    /// <inheritdoc/>
    public bool Equals(IntOrString other) =>
        IntValue == other.IntValue && string.Equals(_string, other._string, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IntOrString other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _string is null ? IntValue : StringComparer.Ordinal.GetHashCode(_string);

    /// <summary>The number in invariant form, or the string.</summary>
    public override string ToString() => _string ?? IntValue.ToString(CultureInfo.InvariantCulture);

    /// <summary>Value equality.</summary>
    public static bool operator ==(IntOrString left, IntOrString right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(IntOrString left, IntOrString right) => !left.Equals(right);
}

/// <summary>Reads a JSON number or string into <see cref="IntOrString"/>; writes it back in the same form.</summary>
public sealed class IntOrStringJsonConverter : JsonConverter<IntOrString>
{
    /// <inheritdoc/>
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return IntOrString.FromString(reader.GetString()!);
            case JsonTokenType.Number when reader.TryGetInt32(out var value):
                return IntOrString.FromInt(value);
            case JsonTokenType.Number:
                throw new JsonException("must be an integer within 32 bits or a string");
            default:
                throw new JsonException($"must be an integer or a string, not {Describe(reader.TokenType)}");
        }
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.IsString)
        {
            writer.WriteStringValue(value.StringValue);
        }
        else
        {
            writer.WriteNumberValue(value.IntValue);
        }
    }

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.Number => "a number",
        JsonTokenType.String => "a string",
        _ => token.ToString(),
    };
}
