using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeProxyFast.Api.Resources;

/// <summary>
/// Reads a <see cref="Quantity"/> from a JSON string (<c>"100m"</c>) or number (<c>1</c>,
/// <c>0.5</c>) and writes its canonical string, as Kubernetes' <c>UnmarshalJSON</c>/<c>MarshalJSON</c>.
/// JSON <c>null</c> reads as zero, like Kubernetes.
/// </summary>
public sealed class QuantityJsonConverter : JsonConverter<Quantity>
{
    // Values up to this many UTF-8 bytes are decoded on the stack; real quantities are under 30.
    private const int StackBufferLength = 128;

    /// <inheritdoc/>
    /// <exception cref="JsonException">The token is not a quantity; the message quotes the value.</exception>
    public override Quantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        return reader.TokenType switch
        {
            JsonTokenType.String or JsonTokenType.Number => ReadText(ref reader),
            JsonTokenType.Null => default,
            _ => throw new JsonException($"A quantity must be a JSON string or number, not {reader.TokenType}."),
        };
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, Quantity value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> buffer = stackalloc char[StackBufferLength];
        if (value.TryFormat(buffer, out int written))
        {
            writer.WriteStringValue(buffer[..written]);
        }
        else
        {
            writer.WriteStringValue(value.ToString());
        }
    }

    private static Quantity ReadText(ref Utf8JsonReader reader)
    {
        // The raw token is at least as many bytes as its decoded characters (escapes only shrink).
        long rawLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        char[]? rented = null;
        Span<char> buffer = rawLength <= StackBufferLength
            ? stackalloc char[StackBufferLength]
            : (rented = ArrayPool<char>.Shared.Rent(checked((int)rawLength)));
        try
        {
            // A JSON number's text (1, -0.5, 1e3) is already valid quantity syntax, as in Kubernetes.
            int length = reader.TokenType == JsonTokenType.String
                ? reader.CopyString(buffer)
                : Encoding.UTF8.GetChars(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan, buffer);

            // Kubernetes trims whitespace inside the string (" 1" reads as 1); Parse itself does not.
            ReadOnlySpan<char> text = buffer[..length].Trim();
            string? error = Quantity.TryParseCore(text, out Quantity result);
            return error is null ? result : throw new JsonException(Quantity.DescribeError(text, error));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
