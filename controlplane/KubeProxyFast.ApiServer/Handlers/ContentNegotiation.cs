using System.Globalization;
using KubeProxyFast.Api.Protobuf;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>The encodings an object response can take.</summary>
internal enum ResponseFormat
{
    /// <summary>JSON (also the answer when the Accept header names nothing this server writes).</summary>
    Json,

    /// <summary><c>application/vnd.kubernetes.protobuf</c>, in the <c>k8s\0</c> envelope.</summary>
    Protobuf,
}

/// <summary>
/// Chooses the response encoding from the Accept header as Kubernetes does: the ranges ordered by
/// q-value, then by specificity (a concrete type before <c>application/*</c> before <c>*/*</c>),
/// then as the client listed them; the first one the server can write wins. client-go's typed
/// clients send <c>application/vnd.kubernetes.protobuf, application/json</c>; a range with
/// <c>as=</c> (a Table) is never protobuf; <c>q=0</c> refuses a type.
/// </summary>
internal static class ContentNegotiation
{
    private const string ProtobufType = KubeEnvelope.MediaType;

    /// <summary>The format for the request's Accept header, cached on the exchange.</summary>
    public static ResponseFormat For(HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(ResponseFormat), out var cached) && cached is ResponseFormat format)
        {
            return format;
        }

        format = Choose(http.Request.Headers.Accept.ToString());
        http.Items[typeof(ResponseFormat)] = format;
        return format;
    }

    /// <summary>The format <paramref name="accept"/> prefers among those this server writes; JSON when none.</summary>
    public static ResponseFormat Choose(string? accept)
    {
        ResponseFormat? best = null;
        var bestRank = (Q: -1.0, Specificity: -1);
        foreach (var range in Ranges(accept))
        {
            ResponseFormat? format = range.Type switch
            {
                "application/json" or "application/*" or "*/*" => ResponseFormat.Json,
                ProtobufType when !range.HasAs => ResponseFormat.Protobuf,
                _ => null,
            };
            if (format is null || range.Q <= 0)
            {
                continue;
            }

            var rank = (range.Q, range.Specificity);
            if (rank.Q > bestRank.Q || (rank.Q == bestRank.Q && rank.Specificity > bestRank.Specificity))
            {
                best = format;
                bestRank = rank;
            }
        }

        return best ?? ResponseFormat.Json;
    }

    /// <summary>
    /// True when <paramref name="accept"/> lets the server answer JSON (absent, or a JSON range, a
    /// wildcard, or a type with no q=0): for documents that exist only as JSON (discovery, version).
    /// </summary>
    public static bool AcceptsJson(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return true;
        }

        foreach (var range in Ranges(accept))
        {
            if (range.Q > 0 && (range.Type is "application/json" or "application/*" or "*/*" || range.Type.EndsWith("+json", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<AcceptRange> Ranges(string? accept)
    {
        if (string.IsNullOrEmpty(accept))
        {
            yield break;
        }

        foreach (var part in accept.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            var type = pieces[0].ToLowerInvariant();
            var q = 1.0;
            var hasAs = false;
            var parameters = 0;
            for (var i = 1; i < pieces.Length; i++)
            {
                var eq = pieces[i].IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    continue;
                }

                var name = pieces[i][..eq].Trim().ToLowerInvariant();
                var value = pieces[i][(eq + 1)..].Trim().Trim('"');
                if (name == "q")
                {
                    q = double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) ? Math.Clamp(parsed, 0, 1) : 0;
                    continue;
                }

                parameters++;
                hasAs |= name == "as";
            }

            var specificity = type == "*/*" ? 0 : type.EndsWith("/*", StringComparison.Ordinal) ? 1 : 2 + parameters;
            yield return new AcceptRange(type, q, specificity, hasAs);
        }
    }

    private readonly record struct AcceptRange(string Type, double Q, int Specificity, bool HasAs);
}
