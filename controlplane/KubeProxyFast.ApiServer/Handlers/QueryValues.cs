using System.Globalization;
using System.Text;
using KubeProxyFast.ApiServer.Errors;
using Microsoft.Extensions.Primitives;

namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>
/// Query parameter values read as kube-apiserver reads them: its handlers decode the query into
/// ListOptions and DeleteOptions through apimachinery's string conversions
/// (<c>runtime/conversion.go</c>), which take the first value of a parameter.
/// </summary>
internal static class QueryValues
{
    /// <summary>
    /// A boolean parameter (<c>watch</c>, <c>allowWatchBookmarks</c>, <c>orphanDependents</c>, …):
    /// absent is false; present, only <c>0</c> and <c>false</c> in any case are false and
    /// anything else is true, empty included (<c>Convert_Slice_string_To_bool</c>). So every form
    /// of Go's <c>strconv.ParseBool</c> that clients send (<c>True</c> from the Python client,
    /// <c>true</c> from kubectl, <c>1</c>) reads as Kubernetes reads it, and none is refused: a
    /// 400 here would refuse what kube-apiserver serves.
    /// </summary>
    public static bool Bool(StringValues values)
    {
        if (values.Count == 0)
        {
            return false;
        }

        var value = values[0] ?? "";
        return !(value == "0" || value.Equals("false", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// An integer parameter (<c>limit</c>, <c>timeoutSeconds</c>, <c>gracePeriodSeconds</c>), as
    /// Go's <c>strconv.ParseInt(s, 10, 64)</c>: an optional sign and decimal digits. Null when absent.
    /// </summary>
    /// <exception cref="StatusException">400 naming the parameter, with Go's message (<c>strconv.ParseInt: parsing "x": invalid syntax</c>).</exception>
    public static long? Int64(string name, StringValues values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var value = values[0] ?? "";
        return TryParseInt64(value, out var number, out var error)
            ? number
            : throw StatusErrors.BadRequest($"query parameter {name}: strconv.ParseInt: parsing {GoQuote(value)}: {error}");
    }

    /// <summary>Go's ParseInt in base 10: sign, digits, nothing else; out of range is its own error.</summary>
    private static bool TryParseInt64(string text, out long value, out string error)
    {
        value = 0;
        var digits = text.AsSpan();
        var negative = false;
        if (digits.Length > 0 && digits[0] is '+' or '-')
        {
            negative = digits[0] == '-';
            digits = digits[1..];
        }

        if (digits.Length == 0 || digits.ContainsAnyExceptInRange('0', '9'))
        {
            error = "invalid syntax";
            return false;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            // Go reports the bound it passed as the value; the message carries only the error.
            value = negative ? long.MinValue : long.MaxValue;
            error = "value out of range";
            return false;
        }

        error = "";
        return true;
    }

    /// <summary>The value quoted as Go's <c>strconv.Quote</c> quotes printable text: backslash and quote escaped, <c>\a \b \f \n \r \t \v</c> by name, other control characters as <c>\x</c>.</summary>
    private static string GoQuote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                '\a' => quoted.Append("\\a"),
                '\b' => quoted.Append("\\b"),
                '\f' => quoted.Append("\\f"),
                '\v' => quoted.Append("\\v"),
                < ' ' or '\x7f' => quoted.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
