using System.Text.Json;

namespace KubeProxyFast.Api.Serialization;

/// <summary>
/// Turns System.Text.Json's exceptions into messages in the API's terms: the field path without
/// the <c>$.</c> root, the expected JSON type rather than a CLR type name, and 1-based positions.
/// </summary>
public static class JsonErrors
{
    private const string ConvertPrefix = "The JSON value could not be converted to ";

    public static KubeDecodeException Translate(JsonException e)
    {
        var field = FieldPath(e.Path);
        var where = e.LineNumber is { } line
            ? $" (line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1})"
            : "";
        var message = StripPosition(e.Message);

        // A converter that knows which element was wrong (a map's key) says so in its inner exception.
        if (e.InnerException is KubeDecodeException element)
        {
            return new KubeDecodeException(field.Length == 0 ? element.Field : $"{field}.{element.Field}", element.Detail + where, e);
        }

        // Syntax errors come from the reader, whose exception type is internal: thrown as is by
        // JsonDocument, wrapped (as the inner exception) by the serializer.
        if (e.GetType() != typeof(JsonException) || e.InnerException is JsonException)
        {
            return new KubeDecodeException("", $"malformed JSON{where}: {message}", e);
        }

        if (message.StartsWith(ConvertPrefix, StringComparison.Ordinal))
        {
            var clrType = message[ConvertPrefix.Length..].TrimEnd('.', ' ');
            return new KubeDecodeException(field, $"invalid value: expected {DescribeClrType(clrType)}{where}", e);
        }

        if (message.Contains("doesn't allow setting null values", StringComparison.Ordinal) ||
            message.Contains("doesn't allow getting null values", StringComparison.Ordinal))
        {
            return new KubeDecodeException(field, $"invalid value: null is not allowed here{where}", e);
        }

        return new KubeDecodeException(field, message + where, e);
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string FieldPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    // System.Text.Json appends " Path: $.x | LineNumber: 0 | BytePositionInLine: 3." to its own
    // messages; we report the path and position ourselves, once.
    private static string StripPosition(string message)
    {
        foreach (var marker in (ReadOnlySpan<string>)[" Path: ", " LineNumber: "])
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message[..at];
            }
        }

        return message.TrimEnd();
    }

    private static string DescribeClrType(string clrType)
    {
        // "System.Nullable`1[System.Int32]" describes the same JSON as "System.Int32".
        const string NullablePrefix = "System.Nullable`1[";
        if (clrType.StartsWith(NullablePrefix, StringComparison.Ordinal))
        {
            clrType = clrType[NullablePrefix.Length..].TrimEnd(']');
        }

        var generic = clrType.IndexOf('`', StringComparison.Ordinal);
        var name = generic >= 0 ? clrType[..generic] : clrType;
        return name switch
        {
            "System.Int32" => "a 32-bit integer",
            "System.Int64" => "a 64-bit integer",
            "System.Boolean" => "a boolean",
            "System.String" => "a string",
            "System.DateTimeOffset" => "an RFC 3339 time string",
            "System.Collections.Generic.List" => "an array",
            "System.Collections.Generic.Dictionary" => "an object (a map)",
            _ => "an object",
        };
    }
}
