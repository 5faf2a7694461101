using System.Globalization;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>
/// Serves the OpenAPI documents with kube-openapi's caching rules: every answer carries its hash as
/// ETag (<c>If-None-Match</c> gets 304); a v3 document asked for with the current <c>?hash=</c> is
/// <c>public, immutable</c> for a year, with an old hash it is a 301 to the current URL, so clients
/// cache by URL and refetch only what changed. v3 is JSON only (an Accept header that allows no
/// JSON gets 406 naming what is served); v2 is JSON or gnostic's protobuf, which kubectl asks for
/// alone when it validates a <c>kind: List</c> itself.
/// </summary>
internal static class OpenApiEndpoints
{
    /// <summary>Answers <paramref name="path"/> when it is an OpenAPI path; false otherwise.</summary>
    public static async Task<bool> TryHandleAsync(HttpContext http, string path)
    {
        if (path == "/openapi/v2")
        {
            await WriteV2Async(http).ConfigureAwait(false);
            return true;
        }

        if (path is OpenApiV3.Root or OpenApiV3.Root + "/")
        {
            await WriteAsync(http, OpenApiV3.Index).ConfigureAwait(false);
            return true;
        }

        if (!path.StartsWith(OpenApiV3.Root + "/", StringComparison.Ordinal))
        {
            return false;
        }

        var groupVersion = path[(OpenApiV3.Root.Length + 1)..];
        var document = OpenApiV3.Find(groupVersion) ?? throw StatusErrors.PathNotFound(path);
        if (http.Request.Query["hash"].ToString() is { Length: > 0 } hash)
        {
            if (hash != document.Hash)
            {
                // A document that changed since the client read the index: send it to the current one.
                http.Response.StatusCode = StatusCodes.Status301MovedPermanently;
                http.Response.Headers.Location = OpenApiV3.ServerRelativeUrl(groupVersion, document);
                return true;
            }

            http.Response.Headers.CacheControl = "public, immutable";
            http.Response.Headers.Expires = DateTimeOffset.UtcNow.AddYears(1).ToString("R", CultureInfo.InvariantCulture);
        }

        await WriteAsync(http, document).ConfigureAwait(false);
        return true;
    }

    /// <summary>v2: the first media range of the Accept header that is JSON or gnostic's protobuf decides.</summary>
    private static async Task WriteV2Async(HttpContext http)
    {
        var accept = http.Request.Headers.Accept.ToString();
        foreach (var range in accept.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var semicolon = range.IndexOf(';', StringComparison.Ordinal);
            var mediaType = (semicolon < 0 ? range : range[..semicolon]).Trim();
            if (mediaType.Equals(OpenApiV2.ProtobufRequested, StringComparison.OrdinalIgnoreCase)
                || mediaType.Equals(OpenApiV2.Protobuf, StringComparison.OrdinalIgnoreCase))
            {
                await WriteAsync(http, OpenApiV2.ProtobufDocument, OpenApiV2.Protobuf).ConfigureAwait(false);
                return;
            }

            if (MediaRange.Parse(range).Any(r => r.IsJson && r.As is null))
            {
                break;
            }
        }

        await WriteAsync(http, OpenApiV2.Document).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext http, SpecDocument document, string contentType = "application/json")
    {
        http.Response.Headers.Vary = "Accept";
        var accept = http.Request.Headers.Accept.ToString();
        if (contentType == "application/json" && accept.Length > 0 && !MediaRange.Parse(accept).Any(r => r.IsJson && r.As is null))
        {
            throw StatusErrors.NotAcceptable(accept);
        }

        http.Response.Headers.ETag = document.ETag;
        if (http.Request.Headers.IfNoneMatch.Any(tag => tag is not null && (tag == document.ETag || tag == "*" || tag.Split(',', StringSplitOptions.TrimEntries).Contains(document.ETag))))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        http.Response.StatusCode = 200;
        http.Response.ContentType = contentType;
        http.Response.ContentLength = document.Json.Length;
        await http.Response.Body.WriteAsync(document.Json, http.RequestAborted).ConfigureAwait(false);
    }
}
