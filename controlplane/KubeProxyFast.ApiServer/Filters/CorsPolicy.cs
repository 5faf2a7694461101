using System.Text.RegularExpressions;
using KubeProxyFast.ApiServer.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Filters;

/// <summary>
/// <c>--cors-allowed-origins</c>, as Kubernetes' <c>WithCORS</c> filter answers it for allowed
/// origins (the same headers, a preflight answered 204), but stricter for the rest: a request
/// with an <c>Origin</c> that matches no pattern is refused with 403 instead of served without
/// CORS headers. Without authentication a browser's "simple" cross-origin POST (no preflight,
/// response unread) would otherwise still create objects.
/// </summary>
internal sealed class CorsPolicy
{
    // Kubernetes' defaults (k8s.io/apiserver/pkg/server/filters/cors.go); kube-apiserver allows credentials.
    private const string AllowMethods = "POST, GET, OPTIONS, PUT, DELETE, PATCH";
    private const string AllowHeaders = "Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, Authorization, X-Requested-With, If-Modified-Since";
    private const string ExposeHeaders = "Date";

    private const string Help = "each expression must match the whole host of the origin: anchor its start with '^' or the '//' prefix and its end with '$' or the ':' port separator, e.g. '//example\\.com(:|$)' or '^https://example\\.com(:|$)'";

    private readonly Regex[] _allowed;

    private CorsPolicy(Regex[] allowed)
    {
        _allowed = allowed;
    }

    /// <summary>
    /// Compiles the patterns, with Kubernetes' checks: none empty, each pinned to the start and end
    /// of the host (CVE-2022-1996: an unpinned <c>example.com</c> also allows <c>example.com.evil.net</c>).
    /// Patterns run without backtracking, since the header they match is the client's.
    /// </summary>
    /// <exception cref="FormatException">A pattern is empty, unpinned or not a regular expression; the message names the flag.</exception>
    public static CorsPolicy Parse(IReadOnlyList<string> patterns)
    {
        var allowed = new Regex[patterns.Count];
        for (var i = 0; i < patterns.Count; i++)
        {
            var pattern = patterns[i];
            if (pattern.Length == 0)
            {
                throw new FormatException($"--cors-allowed-origins: an empty pattern; {Help}");
            }

            var pinned = (pattern.Contains('^', StringComparison.Ordinal) || pattern.Contains("//", StringComparison.Ordinal))
                && (pattern.Contains('$', StringComparison.Ordinal) || pattern.Contains(':', StringComparison.Ordinal));
            if (!pinned)
            {
                throw new FormatException($"--cors-allowed-origins: \"{pattern}\" does not pin to the start and end of the host in the origin header; {Help}");
            }

            try
            {
                allowed[i] = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                throw new FormatException($"--cors-allowed-origins: \"{pattern}\" is not a usable regular expression: {e.Message}", e);
            }
        }

        return new CorsPolicy(allowed);
    }

    /// <summary>
    /// Checks the request's <c>Origin</c> and, when allowed, adds the CORS response headers.
    /// Returns true when the request is a preflight that has been answered (204).
    /// </summary>
    /// <exception cref="StatusException">403 for an origin no pattern allows.</exception>
    public bool Apply(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            RefuseCrossSite(http);
            return false;
        }

        if (!IsAllowed(origin))
        {
            throw StatusErrors.ForbiddenRequest(
                $"origin \"{origin}\" is not allowed: this apiserver has no authentication yet, so it refuses requests from web pages unless --cors-allowed-origins allows their origin");
        }

        var headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlAllowMethods = AllowMethods;
        headers.AccessControlAllowHeaders = AllowHeaders;
        headers.AccessControlExposeHeaders = ExposeHeaders;
        headers.AccessControlAllowCredentials = "true";
        // The answer depends on the Origin, so a cache must not hand it to another origin.
        headers.Vary = "Origin";
        if (HttpMethods.IsOptions(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return true;
        }

        return false;
    }

    /// <summary>
    /// A browser sends no <c>Origin</c> on a cross-site "no-cors" GET (an <c>img</c>, a
    /// <c>script</c>, a prefetch), but every current one sends <c>Sec-Fetch-Site</c> on every
    /// request: one from another site would otherwise read nothing yet still make this server
    /// open a watch or a proxied request on the page's behalf.
    /// </summary>
    /// <exception cref="StatusException">403 for a cross-site or same-site request without an origin.</exception>
    private static void RefuseCrossSite(HttpContext http)
    {
        var site = http.Request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || site.Equals("same-site", StringComparison.OrdinalIgnoreCase))
        {
            throw StatusErrors.ForbiddenRequest(
                $"a {site} request from a web page is not allowed: this apiserver has no authentication yet, so it serves web pages only from origins --cors-allowed-origins allows");
        }
    }

    /// <summary>
    /// True when a pattern matches the origin across its whole host. The flag's check only looks
    /// for anchor characters anywhere in a pattern, so <c>https://example\.com</c> passes it (the
    /// scheme's colon) and would also match <c>https://example.com.evil.net</c>: the match itself
    /// must start at or before the host and end at or after it.
    /// </summary>
    private bool IsAllowed(string origin)
    {
        // An origin is "scheme://host[:port]" (or "null", which no host can match).
        var schemeEnd = origin.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return false;
        }

        var hostStart = schemeEnd + 3;
        var hostEnd = hostStart + HostLength(origin.AsSpan(hostStart));
        if (hostEnd == hostStart)
        {
            return false;
        }
        foreach (var pattern in _allowed)
        {
            foreach (var match in pattern.EnumerateMatches(origin))
            {
                if (match.Index <= hostStart && match.Index + match.Length >= hostEnd)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The host's length at the start of <paramref name="rest"/>: up to a port, a path or the end (an IPv6 literal's colons are inside brackets).</summary>
    private static int HostLength(ReadOnlySpan<char> rest)
    {
        var end = rest.StartsWith("[") ? rest.IndexOf(']') + 1 : rest.IndexOfAny(':', '/');
        return end <= 0 ? rest.Length : end;
    }
}
