using System.Net;
using KubeProxyFast.Client.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KubeProxyFast.Cli.Hosting;

/// <summary>
/// A role's status port, as kube-controller-manager's and kube-scheduler's: <c>GET /healthz</c>
/// (200 <c>ok</c> while the role is live, 500 with the reason otherwise) and <c>GET /metrics</c>
/// (the role's <see cref="MetricsRegistry"/> in the Prometheus text format), on one address.
/// </summary>
internal sealed class StatusServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StatusServer(WebApplication app, IPEndPoint endPoint)
    {
        _app = app;
        EndPoint = endPoint;
    }

    /// <summary>The address bound (with the port chosen when asked for port 0).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Serves <paramref name="metrics"/> and <paramref name="health"/> on <paramref name="bindAddress"/>.</summary>
    /// <exception cref="IOException">The address cannot be bound.</exception>
    public static async Task<StatusServer> StartAsync(IPEndPoint bindAddress, MetricsRegistry metrics, Func<RoleHealth> health, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(bindAddress, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        var app = builder.Build();
        app.Run(context => Handle(context, metrics, health));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new StatusServer(app, BoundEndPoint(app, bindAddress));
    }

    /// <summary>Stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task Handle(HttpContext context, MetricsRegistry metrics, Func<RoleHealth> health)
    {
        var response = context.Response;
        var path = context.Request.Path.Value;
        if (path is not ("/metrics" or "/healthz"))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            await response.WriteAsync("404 page not found\n").ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        if (path == "/healthz")
        {
            var now = health();
            response.ContentType = "text/plain; charset=utf-8";
            response.StatusCode = now.Live ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError;
            await response.WriteAsync(now.Live ? "ok" : now.Reason).ConfigureAwait(false);
            return;
        }

        response.ContentType = MetricsRegistry.ContentType;
        await response.WriteAsync(metrics.Render()).ConfigureAwait(false);
    }

    private static IPEndPoint BoundEndPoint(WebApplication app, IPEndPoint requested)
    {
        foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            // Kestrel reports "http://127.0.0.1:41837" once bound.
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Port > 0)
            {
                return new IPEndPoint(requested.Address, uri.Port);
            }
        }

        return requested;
    }
}
