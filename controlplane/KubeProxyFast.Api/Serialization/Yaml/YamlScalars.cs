using System.Globalization;
using System.Text.Json;

namespace KubeProxyFast.Api.Serialization.Yaml;

/// <summary>
/// Scalars to JSON values by the YAML 1.2 core schema, as kubectl reads manifests: a plain
/// <c>80</c> is a number and <c>"80"</c> a string; <c>true</c>/<c>True</c>/<c>TRUE</c> booleans;
/// <c>~</c>, <c>null</c> and nothing null; 0x and 0o integers; everything else a string.
/// </summary>
internal static class YamlScalars
{
    /// <summary>Writes <paramref name="scalar"/> as the JSON value it stands for.</summary>
    /// <exception cref="KubeDecodeException">A number JSON cannot hold (<c>.inf</c>, <c>1e400</c>).</exception>
    public static void Write(Utf8JsonWriter writer, YamlNode scalar, YamlPath path)
    {
        var text = scalar.Text;
        if (scalar.IsString)
        {
            writer.WriteStringValue(text);
            return;
        }

        if (scalar.IsNull)
        {
            writer.WriteNullValue();
        }
        else if (text is "true" or "True" or "TRUE")
        {
            writer.WriteBooleanValue(true);
        }
        else if (text is "false" or "False" or "FALSE")
        {
            writer.WriteBooleanValue(false);
        }
        else if (JsonInteger(text) is { } integer)
        {
            writer.WriteRawValue(integer, skipInputValidation: true);
        }
        else if (text.TrimStart('-', '+') is ".inf" or ".Inf" or ".INF" or ".nan" or ".NaN" or ".NAN")
        {
            throw new KubeDecodeException(path.ToString(), $"the number {text} cannot be represented in JSON");
        }
        else if (LooksLikeFloat(text) &&
                 double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            if (!double.IsFinite(real))
            {
                throw new KubeDecodeException(path.ToString(), $"the number {text} is too large for JSON");
            }

            writer.WriteNumberValue(real);
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }

    /// <summary>
    /// The JSON number a core-schema integer stands for. Decimal digits are copied, not parsed:
    /// converting a 1,000,000-digit number through BigInteger took 26 s of CPU (quadratic).
    /// 0x and 0o integers are numbers up to 64 bits and strings past that, as go-yaml resolves them.
    /// </summary>
    private static string? JsonInteger(string text)
    {
        var span = text.AsSpan();
        var negative = span.Length > 0 && span[0] == '-';
        if (span.Length > 0 && span[0] is '-' or '+')
        {
            span = span[1..];
        }

        if (span.StartsWith("0x", StringComparison.Ordinal) || span.StartsWith("0o", StringComparison.Ordinal))
        {
            var hex = span[1] == 'x';
            return TryParseUnsigned(span[2..], hex ? 16 : 8, out var magnitude)
                ? (negative && magnitude != 0 ? "-" : "") + magnitude.ToString(CultureInfo.InvariantCulture)
                : null;
        }

        if (span.Length == 0 || span.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        // JSON numbers have no leading zeros; YAML 1.2 reads 007 as 7.
        var digits = span.TrimStart('0');
        return digits.IsEmpty ? "0" : (negative ? "-" : "") + digits.ToString();
    }

    private static bool TryParseUnsigned(ReadOnlySpan<char> digits, int radix, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (var c in digits)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : radix == 16 && char.IsAsciiHexDigit(c) ? (c | 0x20) - 'a' + 10 : radix;
            if (digit >= radix || value > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return false;
            }

            value = (value * (ulong)radix) + (ulong)digit;
        }

        return true;
    }

    // YAML 1.2 core: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    private static bool LooksLikeFloat(string text)
    {
        var i = 0;
        if (i < text.Length && text[i] is '-' or '+')
        {
            i++;
        }

        var mantissaDigits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            mantissaDigits++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                mantissaDigits++;
            }
        }

        if (mantissaDigits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '-' or '+')
            {
                i++;
            }

            var exponentDigits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }
}
