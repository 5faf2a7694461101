using System.Net;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Registry;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace KubeProxyFast.ApiServer.Proxy;

/// <summary>
/// The proxy subresources of services, pods and nodes, forwarded with YARP's
/// <see cref="IHttpForwarder"/>: the request (method, headers, body, query) goes to the target
/// with the path after <c>/proxy</c>; the answer streams back as it comes.
/// </summary>
internal sealed class ProxyHandler : IDisposable
{
    private readonly IHttpForwarder _forwarder;
    private readonly ObjectRegistry _registry;
    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    });

    public ProxyHandler(IHttpForwarder forwarder, ObjectRegistry registry)
    {
        _forwarder = forwarder;
        _registry = registry;
    }

    public async Task ForwardAsync(ApiContext context)
    {
        var path = context.Path;
        var (scheme, name, port) = ProxyTarget.Split(path.Name!);
        var hostPort = path.Resource == Resources.Services
            ? await ProxyTarget.ForServiceAsync(_registry, path.Namespace!, name, port, context.Aborted).ConfigureAwait(false)
            : path.Resource == Resources.Pods
                ? await ProxyTarget.ForPodAsync(_registry, path.Namespace!, name, port, context.Aborted).ConfigureAwait(false)
                : await ProxyTarget.ForNodeAsync(_registry, name, port, context.Aborted).ConfigureAwait(false);
        var destination = scheme + "://" + hostPort;
        var transformer = new ProxyPathTransformer("/" + path.Rest);
        var error = await _forwarder.SendAsync(context.Http, destination, _client, ForwarderRequestConfig.Empty, transformer).ConfigureAwait(false);
        if (error != ForwarderError.None && !context.Http.Response.HasStarted)
        {
            var failure = context.Http.Features.Get<IForwarderErrorFeature>()?.Exception?.Message ?? error.ToString();
            throw StatusErrors.Unavailable($"error trying to reach {path.Resource!.SingularName} \"{name}\" at {hostPort}: {failure}");
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Sends the request to the path after <c>/proxy</c> on the target, query string kept.</summary>
    private sealed class ProxyPathTransformer(string path) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(
            HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
            proxyRequest.RequestUri = new Uri(destinationPrefix + path + httpContext.Request.QueryString.Value);
            // The target sees its own address as the host, as with kube-apiserver's proxy.
            proxyRequest.Headers.Host = null;
        }
    }
}
