using System.Text;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.FieldValidation;

/// <summary>
/// <c>Warning</c> response headers as kube-apiserver writes them (RFC 7234: code 299, agent
/// <c>-</c>, the text quoted with <c>"</c> and <c>\</c> escaped); kubectl prints each as
/// <c>Warning: text</c>. The same text is sent once per response.
/// </summary>
internal static class WarningHeaders
{
    /// <summary>Adds a warning to the response, unless it carries that text already.</summary>
    public static void Add(HttpContext http, string text)
    {
        var value = Format(text);
        var headers = http.Response.Headers;
        if (!headers["Warning"].Contains(value))
        {
            headers.Append("Warning", value);
        }
    }

    /// <summary><c>299 - "unknown field \"spec.foo\""</c>.</summary>
    public static string Format(string text)
    {
        var value = new StringBuilder("299 - \"", text.Length + 10);
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                value.Append('\\');
            }

            // A header value is visible ASCII: a field name from the body may hold anything, and
            // Kestrel refuses to send a value with control or non-ASCII characters.
            value.Append(c is < ' ' or > '~' ? '?' : c);
        }

        return value.Append('"').ToString();
    }
}
