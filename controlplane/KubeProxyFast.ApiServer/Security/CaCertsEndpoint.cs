using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Security;

/// <summary>
/// <c>GET /cacerts</c>, as k3s's supervisor serves it: the server CA bundle to anyone, without
/// authentication or authorization. Nothing secret is in it, and a joining agent cannot
/// authenticate yet: it trusts the bytes only when their SHA-256 is the hash its join token
/// carries. The bytes are written exactly as configured, since any change would break that hash.
/// </summary>
internal sealed class CaCertsEndpoint
{
    /// <summary>The path, as k3s's.</summary>
    public const string Path = "/cacerts";

    private readonly byte[] _bundle;

    /// <summary>Serves <paramref name="bundle"/> (PEM bytes, not copied: the options own them and never change them).</summary>
    public CaCertsEndpoint(byte[] bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        _bundle = bundle;
    }

    /// <summary>Answers the request with the bundle (GET and HEAD; anything else is 405).</summary>
    public async Task WriteAsync(HttpContext http)
    {
        var method = http.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = "GET, HEAD";
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/plain";
        http.Response.ContentLength = _bundle.Length;
        if (HttpMethods.IsGet(method))
        {
            await http.Response.Body.WriteAsync(_bundle, http.RequestAborted).ConfigureAwait(false);
        }
    }
}
