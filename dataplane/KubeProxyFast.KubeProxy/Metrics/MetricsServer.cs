using System.Net;
using System.Text;
using KubeProxyFast.KubeProxy.Netfilter;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.KubeProxy.Pipeline;
using KubeProxyFast.KubeProxy.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KubeProxyFast.KubeProxy.Metrics;

/// <summary>
/// kube-proxy's metrics port: <c>GET /metrics</c> (Prometheus text, see <see cref="PrometheusText"/>)
/// and <c>GET /healthz</c> (200 <c>ok</c>), served by Kestrel on one address only. A scrape reads
/// the engine's per-loop counter rows and the config source's status without taking any lock the
/// proxy's event loops take.
/// </summary>
public sealed class MetricsServer : IAsyncDisposable
{
    /// <summary>kube-proxy's default metrics port.</summary>
    public const int DefaultPort = 10249;

    private readonly WebApplication _app;

    private MetricsServer(WebApplication app, IPEndPoint endPoint)
    {
        _app = app;
        EndPoint = endPoint;
    }

    /// <summary>The address bound (with the port the kernel chose when asked for port 0).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Starts serving on <paramref name="bindAddress"/>.</summary>
    /// <param name="bindAddress">The address to listen on; port 0 picks a free port.</param>
    /// <param name="engine">Whose per-service-port counters are exposed; null in kernel mode (no userspace traffic).</param>
    /// <param name="config">Whose load status is exposed; null for none.</param>
    /// <param name="netfilter">Whose sync counts are exposed; null for none.</param>
    /// <param name="sync">The pipeline's sync metrics; null for none.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="IOException">The address cannot be bound.</exception>
    public static async Task<MetricsServer> StartAsync(
        IPEndPoint bindAddress, ProxyEngine? engine, IProxySource? config, NetfilterSyncLoop? netfilter = null,
        ProxySyncMetrics? sync = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bindAddress);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(bindAddress, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        var app = builder.Build();
        app.Run(context => Handle(context, engine, config, netfilter, sync));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new MetricsServer(app, BoundEndPoint(app, bindAddress));
    }

    /// <summary>Stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(timeout.Token);
        }

        await _app.DisposeAsync();
    }

    private static Task Handle(HttpContext context, ProxyEngine? engine, IProxySource? config, NetfilterSyncLoop? netfilter, ProxySyncMetrics? sync)
    {
        var response = context.Response;
        var path = context.Request.Path.Value;
        if (path is not ("/metrics" or "/healthz"))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return response.WriteAsync("404 page not found\n");
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        }

        if (path == "/healthz")
        {
            response.ContentType = "text/plain; charset=utf-8";
            return response.WriteAsync("ok");
        }

        var text = new StringBuilder(4096);
        PrometheusText.Write(text, engine?.Counters ?? [], config?.Status, netfilter);
        sync?.Write(text);
        response.ContentType = PrometheusText.ContentType;
        return response.WriteAsync(text.ToString());
    }

    private static IPEndPoint BoundEndPoint(WebApplication app, IPEndPoint requested)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        foreach (var address in addresses ?? [])
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
