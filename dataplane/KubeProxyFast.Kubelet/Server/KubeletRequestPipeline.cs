using KubeProxyFast.Client.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Server;

/// <summary>
/// Every request to the kubelet's API, in the kubelet's order: counted, authenticated (none → 401
/// <c>Unauthorized</c>), authorized for its <see cref="NodeRequestAttributes"/> (denied → 403 with
/// the kubelet's <c>Forbidden (user=…, verb=…, resource=nodes, subresource(s)=[…])</c>; a review
/// that could not be made → 500), then served. Unknown paths are authorized too (as <c>proxy</c>):
/// an anonymous caller learns nothing of what exists.
/// </summary>
internal sealed class KubeletRequestPipeline
{
    private readonly KubeletAuthenticator _authenticator;
    private readonly IKubeletAuthorizer _authorizer;
    private readonly KubeletEndpoints _endpoints;
    private readonly string _nodeName;
    private readonly CounterFamily _requests;
    private readonly ILogger _logger;

    public KubeletRequestPipeline(
        KubeletAuthenticator authenticator, IKubeletAuthorizer authorizer, KubeletEndpoints endpoints, string nodeName, CounterFamily requests, ILogger logger)
    {
        _authenticator = authenticator;
        _authorizer = authorizer;
        _endpoints = endpoints;
        _nodeName = nodeName;
        _requests = requests;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        _requests.WithLabels(MethodLabel(http.Request.Method), KubeletEndpoints.Bucket(path), "readwrite").Inc();
        var user = await _authenticator.AuthenticateAsync(http, http.RequestAborted).ConfigureAwait(false);
        if (user is null)
        {
            await KubeletEndpoints.Text(http.Response, StatusCodes.Status401Unauthorized, "Unauthorized").ConfigureAwait(false);
            return;
        }

        var attributes = NodeRequestAttributes.Of(http.Request.Method, path, _nodeName);
        var decision = await _authorizer.AuthorizeAsync(user, attributes, http.RequestAborted).ConfigureAwait(false);
        if (decision.FailedSubresource is { } failed)
        {
            await KubeletEndpoints.Text(http.Response, StatusCodes.Status500InternalServerError,
                $"Authorization error (user={user.Name}, verb={attributes.Verb}, resource={NodeRequestAttributes.Resource}, subresource={failed})").ConfigureAwait(false);
            return;
        }

        if (!decision.IsAllowed)
        {
            var message = attributes.ForbiddenMessage(user);
            KubeletServerLog.Forbidden(_logger, message);
            await KubeletEndpoints.Text(http.Response, StatusCodes.Status403Forbidden, message).ConfigureAwait(false);
            return;
        }

        await _endpoints.ServeAsync(http).ConfigureAwait(false);
    }

    /// <summary>A method as a label value: the ones HTTP defines, any other as <c>other</c> (a caller cannot grow the series).</summary>
    private static string MethodLabel(string method) => method switch
    {
        "GET" or "HEAD" or "POST" or "PUT" or "PATCH" or "DELETE" or "OPTIONS" or "CONNECT" or "TRACE" => method,
        _ => "other",
    };
}
