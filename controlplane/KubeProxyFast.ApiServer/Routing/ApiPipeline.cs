using System.Diagnostics;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Authorization;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Security;
using KubeProxyFast.ApiServer.Discovery;
using KubeProxyFast.ApiServer.Discovery.OpenApi;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Filters;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Metrics;
using KubeProxyFast.ApiServer.Printing;
using KubeProxyFast.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Routing;

/// <summary>
/// Every request: the filters (a loopback Host on plain HTTP, an allowed Origin), authentication
/// and authorization on HTTPS (<see cref="ApiSecurity"/>), the non-resource paths
/// (discovery, version, health, metrics, OpenAPI v2 and v3), then the resources of each served group version
/// (<c>/api/v1</c>, <c>/apis/{group}/{version}</c>) through the dispatcher;
/// every failure becomes a Status with Kubernetes' code, and every request is counted and timed.
/// </summary>
internal sealed partial class ApiPipeline
{
    private readonly ApiDispatcher _dispatcher;
    private readonly RequestMetrics _metrics;
    private readonly IStore _store;
    private readonly ILogger _logger;
    private readonly Func<string> _serverAddress;
    private readonly TablePrinter _printer;
    private readonly CorsPolicy _cors;
    private readonly RequestSlots _reads;
    private readonly RequestSlots _writes;
    private readonly ApiSecurity? _security;

    public ApiPipeline(
        ApiDispatcher dispatcher, RequestMetrics metrics, IStore store, TablePrinter printer, CorsPolicy cors, RequestSlots reads, RequestSlots writes, ILogger logger,
        Func<string> serverAddress, ApiSecurity? security)
    {
        _security = security;
        _cors = cors;
        _reads = reads;
        _writes = writes;
        _printer = printer;
        _dispatcher = dispatcher;
        _metrics = metrics;
        _store = store;
        _logger = logger;
        _serverAddress = serverAddress;
    }

    public async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var requestPath = http.Request.Path.Value ?? "/";
        var verb = http.Request.Method.ToUpperInvariant();
        var resource = "";
        var subresource = "";
        try
        {
            if (_security is null || !http.Request.IsHttps)
            {
                // Plain HTTP is served on loopback only, to whoever can reach it (system:unsecured).
                LoopbackHost.Check(http);
            }

            if (_cors.Apply(http))
            {
                return;
            }

            if (_security?.CaCerts is { } caCerts && requestPath == CaCertsEndpoint.Path)
            {
                // Public, as k3s's: a joining agent has no trust and no credentials yet (it checks the bytes against its token).
                await caCerts.WriteAsync(http).ConfigureAwait(false);
                return;
            }

            var user = UserInfo.Unsecured;
            if (_security is not null && http.Request.IsHttps)
            {
                user = await _security.Authentication.AuthenticateAsync(http, requestPath, http.RequestAborted).ConfigureAwait(false);
                user = await Impersonation.ApplyAsync(http, user, _security.Authorization, http.RequestAborted).ConfigureAwait(false);
                RequestUser.Set(http, user);
                RequestAuthorizer.Set(http, _security.Authorization);
            }

            if (GroupVersionPath.TryParse(requestPath, out var groupVersion, out var rest))
            {
                var path = ApiPath.Parse(groupVersion, rest) ?? throw StatusErrors.PathNotFound(requestPath);
                if (path.Resource is null)
                {
                    await AuthorizeAsync(RequestAttributes.ForPath(user, http, requestPath)).ConfigureAwait(false);
                    await ResponseWriter.WriteAsync(http, 200, w => DiscoveryDocuments.WriteResources(w, groupVersion)).ConfigureAwait(false);
                    return;
                }

                verb = ApiDispatcher.Verb(http, path);
                resource = path.Resource.Name;
                subresource = path.IsBindingsCollection ? "binding" : MetricsSubresource(path);
                await AuthorizeAsync(RequestAttributes.ForResource(user, http, groupVersion, path, verb)).ConfigureAwait(false);
                // Watches and proxied requests are long-running and not counted, as in Kubernetes
                // (the default slot holds nothing); the proxy counts its own.
                using (verb == "WATCH" || path.Subresource == "proxy" ? default
                    : verb is "POST" or "PUT" or "PATCH" or "DELETE" or "DELETECOLLECTION" ? _writes.Enter(http) : _reads.Enter(http))
                {
                    await _dispatcher.DispatchAsync(new ApiContext(http, path, verb, _printer)).ConfigureAwait(false);
                }

                return;
            }

            await AuthorizeAsync(RequestAttributes.ForPath(user, http, requestPath)).ConfigureAwait(false);
            await HandleNonResourceAsync(http, requestPath).ConfigureAwait(false);
        }
        catch (StatusException e)
        {
            await WriteErrorAsync(http, e).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            await WriteErrorAsync(http, StatusErrors.Unavailable("the store is unavailable: " + e.Message)).ConfigureAwait(false);
        }
        catch (StoreCompactedException e)
        {
            await WriteErrorAsync(http, StatusErrors.Expired(e.Message)).ConfigureAwait(false);
        }
        catch (StoreRequestTooLargeException e)
        {
            // The store's own limit, behind MaxObjectBytes: reached only when the store was given
            // a smaller one (etcd's --max-request-bytes). Nothing was written; retrying cannot help.
            await WriteErrorAsync(http, StatusErrors.StoreRequestTooLarge(e.Message)).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            await WriteErrorAsync(http, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? StatusErrors.TooLarge(ApiServerOptions.DefaultMaxRequestBodyBytes)
                : StatusErrors.BadRequest(e.Message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody to answer.
        }
        catch (Exception e)
        {
            LogUnexpected(_logger, http.Request.Method, requestPath, e);
            await WriteErrorAsync(http, StatusErrors.Internal(e.Message)).ConfigureAwait(false);
        }
        finally
        {
            _metrics.Record(verb, resource, subresource, http.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Refuses the request with Kubernetes' 403 unless the authorizer allows it; a server without authentication allows everything.</summary>
    private async ValueTask AuthorizeAsync(AuthorizationAttributes attributes)
    {
        if (_security is null)
        {
            return;
        }

        var decision = await _security.Authorization.AuthorizeAsync(attributes, CancellationToken.None).ConfigureAwait(false);
        if (decision.Decision != Decision.Allow)
        {
            throw StatusErrors.Forbidden(attributes, decision.Reason);
        }
    }

    /// <summary>The subresource label: one the resource serves, or "other" (the path may name any, a label must not).</summary>
    private static string MetricsSubresource(ApiPath path) => path.Subresource switch
    {
        null => "",
        var sub when path.Resource!.Subresources.Contains(sub) => sub,
        _ => RequestMetrics.Other,
    };

    private async Task HandleNonResourceAsync(HttpContext http, string path)
    {
        switch (path)
        {
            case "/api" or "/api/":
                await WriteDiscoveryRootAsync(http, core: true).ConfigureAwait(false);
                return;
            case "/apis" or "/apis/":
                await WriteDiscoveryRootAsync(http, core: false).ConfigureAwait(false);
                return;
            case "/version" or "/version/":
                await ResponseWriter.WriteAsync(http, 200, DiscoveryDocuments.WriteVersion).ConfigureAwait(false);
                return;
            case "/healthz" or "/livez":
                await WriteTextAsync(http, 200, "ok").ConfigureAwait(false);
                return;
            case "/readyz":
                await ReadyAsync(http).ConfigureAwait(false);
                return;
            case "/metrics":
                await WriteTextAsync(http, 200, _metrics.Render(), "text/plain; version=0.0.4; charset=utf-8").ConfigureAwait(false);
                return;
            default:
                if (await OpenApiEndpoints.TryHandleAsync(http, path).ConfigureAwait(false))
                {
                    return;
                }

                if (GroupVersionPath.TryParseGroup(path, out var group) && DiscoveryDocuments.VersionsOf(group) is { } versions)
                {
                    await ResponseWriter.WriteAsync(http, 200, w => DiscoveryDocuments.WriteApiGroup(w, group, versions)).ConfigureAwait(false);
                    return;
                }

                throw StatusErrors.PathNotFound(path);
        }
    }

    /// <summary>
    /// <c>/api</c> or <c>/apis</c>: the aggregated document when the Accept header asks for it
    /// first (its Content-Type says which version was served), the legacy one otherwise.
    /// </summary>
    private async Task WriteDiscoveryRootAsync(HttpContext http, bool core)
    {
        http.Response.Headers.Vary = "Accept";
        if (DiscoveryAccept.RequestedVersion(http.Request.Headers.Accept.ToString()) is { } version)
        {
            ResponseWriter.Start(http, 200);
            http.Response.ContentType = DiscoveryAccept.ContentType(version);
            using (var writer = KubeJson.CreateWriter(http.Response.BodyWriter))
            {
                AggregatedDiscovery.Write(writer, version, core);
            }

            ResponseWriter.EndBody(http.Response.BodyWriter);
            await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            return;
        }

        await (core
            ? ResponseWriter.WriteAsync(http, 200, w => DiscoveryDocuments.WriteApiVersions(w, _serverAddress()))
            : ResponseWriter.WriteAsync(http, 200, DiscoveryDocuments.WriteApiGroups)).ConfigureAwait(false);
    }

    /// <summary>Ready when the store answers a read.</summary>
    private async Task ReadyAsync(HttpContext http)
    {
        try
        {
            await _store.GetAsync(StoreKeys.Root + "readyz", http.RequestAborted).ConfigureAwait(false);
            await WriteTextAsync(http, 200, "ok").ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            await WriteTextAsync(http, 503, "[-]etcd failed: " + e.Message + "\nreadyz check failed").ConfigureAwait(false);
        }
    }

    private static async Task WriteTextAsync(HttpContext http, int code, string text, string contentType = "text/plain; charset=utf-8")
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = contentType;
        await http.Response.WriteAsync(text, http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(HttpContext http, StatusException e)
    {
        if (http.Response.HasStarted)
        {
            // A streamed answer (watch, proxy) already went out; the connection ends instead.
            http.Abort();
            return;
        }

        await ResponseWriter.WriteStatusAsync(http, e.Status).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, Exception exception);
}
