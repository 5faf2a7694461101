using System.Globalization;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>
/// Serves the OpenAPI documents with kube-openapi's caching rules: every answer carries its hash as
/// ETag (<c>If-None-Match</c> gets 304); a v3 document asked for with the current <c>?hash=</c> is
/// <c>public, immutable</c> for a year, with an old hash it is a 301 to the current URL, so clients
/// cache by URL and refetch only what changed. JSON only: an Accept header that allows no JSON
/// (kubectl asks <c>/openapi/v2</c> for protobuf alone, and only when v3 is missing) gets 406
/// naming what is served.
/// </summary>
internal static class OpenApiEndpoints
{
    /// <summary>Answers <paramref name="path"/> when it is an OpenAPI path; false otherwise.</summary>
    public static async Task<bool> TryHandleAsync(HttpContext http, string path)
    {
        if (path == "/openapi/v2")
        {
            await WriteAsync(http, OpenApiV2.Document).ConfigureAwait(false);
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

    private static async Task WriteAsync(HttpContext http, SpecDocument document)
    {
        http.Response.Headers.Vary = "Accept";
        var accept = http.Request.Headers.Accept.ToString();
        if (accept.Length > 0 && !MediaRange.Parse(accept).Any(r => r.IsJson && r.As is null))
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
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = document.Json.Length;
        await http.Response.Body.WriteAsync(document.Json, http.RequestAborted).ConfigureAwait(false);
    }
}
