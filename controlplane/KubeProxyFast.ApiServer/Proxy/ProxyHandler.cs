using System.Net;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Routing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace KubeProxyFast.ApiServer.Proxy;

/// <summary>
/// The proxy subresources of services, pods and nodes, forwarded with YARP's
/// <see cref="IHttpForwarder"/>: the request (method, headers, body, query) goes to the target
/// with the path after <c>/proxy</c>; the answer streams back as it comes. Destinations pass
/// <see cref="ProxyAddressPolicy"/>; at most <see cref="ApiServerOptions.MaxProxyRequestsInFlight"/>
/// run at once (429 with Retry-After beyond, as kube-apiserver's max-in-flight filter answers);
/// a request that already went through an apiserver proxy is refused.
/// </summary>
internal sealed class ProxyHandler : IDisposable
{
    /// <summary>
    /// Set on every proxied request. A request arriving with it came out of an apiserver proxy:
    /// proxying it again would be a nested hop (the attack pass chained 300 through one server).
    /// </summary>
    public const string HopHeader = "Kpf-Proxied";

    private readonly IHttpForwarder _forwarder;
    private readonly ObjectRegistry _registry;
    private readonly ProxyAddressPolicy _policy;
    private readonly RequestSlots _inFlight;
    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    });

    public ProxyHandler(IHttpForwarder forwarder, ObjectRegistry registry, ProxyAddressPolicy policy, int maxInFlight)
    {
        _forwarder = forwarder;
        _registry = registry;
        _policy = policy;
        _inFlight = new RequestSlots(maxInFlight);
    }

    public async Task ForwardAsync(ApiContext context)
    {
        var path = context.Path;
        if (context.Http.Request.Headers.ContainsKey(HopHeader))
        {
            throw StatusErrors.BadRequest("proxy loop: this request already passed through an apiserver proxy, and is not proxied again");
        }

        using (_inFlight.Enter(context.Http))
        {
            var (scheme, name, port) = ProxyTarget.Split(path.Name!);
            var destination = path.Resource == Resources.Services
                ? await ProxyTarget.ForServiceAsync(_registry, _policy, path.Namespace!, name, port, context.Aborted).ConfigureAwait(false)
                : path.Resource == Resources.Pods
                    ? await ProxyTarget.ForPodAsync(_registry, _policy, path.Namespace!, name, port, context.Aborted).ConfigureAwait(false)
                    : await ProxyTarget.ForNodeAsync(_registry, _policy, name, port, context.Aborted).ConfigureAwait(false);
            var transformer = new ProxyPathTransformer("/" + path.Rest);
            var error = await _forwarder.SendAsync(context.Http, scheme + "://" + destination, _client, ForwarderRequestConfig.Empty, transformer).ConfigureAwait(false);
            if (error != ForwarderError.None && !context.Http.Response.HasStarted)
            {
                var failure = context.Http.Features.Get<IForwarderErrorFeature>()?.Exception?.Message ?? error.ToString();
                throw StatusErrors.Unavailable($"error trying to reach {path.Resource!.SingularName} \"{name}\" at {destination}: {failure}");
            }
        }
    }

    public void Dispose()
    {
        _client.Dispose();
    }

    /// <summary>Sends the request to the path after <c>/proxy</c> on the target, query string kept, marked as proxied.</summary>
    private sealed class ProxyPathTransformer(string path) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(
            HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
            proxyRequest.RequestUri = new Uri(destinationPrefix + path + httpContext.Request.QueryString.Value);
            // The target sees its own address as the host, as with kube-apiserver's proxy.
            proxyRequest.Headers.Host = null;
            proxyRequest.Headers.TryAddWithoutValidation(HopHeader, "1");
        }
    }
}
