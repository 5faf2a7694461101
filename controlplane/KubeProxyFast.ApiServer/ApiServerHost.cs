using System.Net;
using System.Net.Sockets;
using KubeProxyFast.ApiServer.Admission;
using KubeProxyFast.ApiServer.Allocation;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Metrics;
using KubeProxyFast.ApiServer.Printing;
using KubeProxyFast.ApiServer.Proxy;
using KubeProxyFast.ApiServer.Reconcilers;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Registry.Encryption;
using KubeProxyFast.ApiServer.Routing;
using KubeProxyFast.ApiServer.Watch;
using KubeProxyFast.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace KubeProxyFast.ApiServer;

/// <summary>
/// The apiserver: Kestrel on a loopback address serving the v1 API over an <see cref="IStore"/>.
/// The store belongs to the caller; the host never disposes it.
/// </summary>
public sealed class ApiServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NamespaceFinalizer _finalizer;
    private readonly ProxyHandler _proxy;
    private readonly Compactor _compactor;
    private readonly WatchCaches _watchCaches;
    private readonly KubernetesServiceReconciler _kubernetesService;

    private ApiServerHost(
        WebApplication app, NamespaceFinalizer finalizer, ProxyHandler proxy, Compactor compactor, WatchCaches watchCaches, KubernetesServiceReconciler kubernetesService)
    {
        _kubernetesService = kubernetesService;
        _watchCaches = watchCaches;
        _app = app;
        _finalizer = finalizer;
        _proxy = proxy;
        _compactor = compactor;
    }

    /// <summary>The base URL clients use, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>
    /// Prepares the store (allocation maps, system namespaces, unfinished namespace deletions) and
    /// starts listening.
    /// </summary>
    /// <exception cref="ArgumentException">A non-loopback bind address, or a bad range.</exception>
    /// <exception cref="StoreUnavailableException">The store cannot be reached.</exception>
    /// <exception cref="IOException">The address cannot be bound (in use, not local, not permitted).</exception>
    public static async Task<ApiServerHost> StartAsync(IStore store, ApiServerOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (!IPAddress.IsLoopback(options.BindAddress))
        {
            throw new ArgumentException(
                $"bind address {options.BindAddress} is not a loopback address: this apiserver has no authentication yet, so it serves 127.0.0.1 or ::1 only",
                nameof(options));
        }

        ApiServerOptions.Validate(options);
        var cors = Filters.CorsPolicy.Parse(options.CorsAllowedOrigins);
        // ::ffff:127.0.0.1 is 127.0.0.1: an IPv6 socket cannot bind the mapped form (EINVAL).
        var bindAddress = options.BindAddress.IsIPv4MappedToIPv6 ? options.BindAddress.MapToIPv4() : options.BindAddress;
        var ipRange = options.ParsedIpRange();
        var portRange = options.ParsedNodePortRange();

        var logger = loggerFactory.CreateLogger("KubeProxyFast.ApiServer");
        if (options.Encryption is { } encryption)
        {
            store = new EncryptingStore(store, encryption, Resources.All, logger);
        }

        var allocator = new ServiceAllocator(ipRange, portRange);
        await allocator.LoadAsync(store, cancellationToken).ConfigureAwait(false);
        var registry = new ObjectRegistry(store, allocator, options.MaxObjectBytes, new ObjectLeases(store, options.Time, options.EventTtl));
        var namespaces = new NamespaceLifecycle(registry, options.Time);
        await namespaces.EnsureSystemNamespacesAsync(cancellationToken).ConfigureAwait(false);
        var finalizer = new NamespaceFinalizer(registry, options.Time, logger);
        await finalizer.ResumeAsync(cancellationToken).ConfigureAwait(false);

        var builder = WebApplication.CreateSlimBuilder();
        // ASP.NET Core's own logs go to the caller's factory, but not its line per request
        // (Information): at thousands of requests a second that is most of the work.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        // "Hosting failed to start" with Kestrel's stack trace: the exception reaches the caller,
        // which reports the cause in a line ("cannot listen on 127.0.0.1:8080: address in use").
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        builder.Services.AddHttpForwarder();
        // Not the console lifetime: it would take the process's signals and print "Now listening
        // on…/Press Ctrl+C" (the caller reports the URL itself).
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(bindAddress, options.Port);
            kestrel.AddServerHeader = false;
            // RequestBody enforces the API's limit and answers with a Status; proxied bodies have none.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        ApiServerHost? host = null;
        // Kestrel serves from StartAsync on, before Url is known: until then the port is the one
        // configured (a client can only have found the server by it).
        IPEndPoint Serving() => new(bindAddress, host?.Url is { } url ? url.Port : options.Port);
        var proxy = new ProxyHandler(
            app.Services.GetRequiredService<IHttpForwarder>(),
            registry,
            new ProxyAddressPolicy(Serving),
            options.MaxProxyRequestsInFlight);
        var metrics = new RequestMetrics();
        var watchCaches = new WatchCaches(store, logger, options.WatchCacheBytes);
        var lists = new ListHandler(store, watchCaches);
        var dispatcher = new ApiDispatcher(
            new ObjectHandlers(registry, namespaces, finalizer, options),
            lists,
            new WatchHandler(store, lists, watchCaches, metrics, options),
            proxy);
        var pipeline = new ApiPipeline(dispatcher, metrics, store, new TablePrinter(options.Time), cors,
            new RequestSlots(options.MaxRequestsInFlight), new RequestSlots(options.MaxMutatingRequestsInFlight), logger, () => Serving().ToString());
        app.Run(pipeline.HandleAsync);
        var compactor = new Compactor(store, options.CompactionInterval, options.Time, logger);
        var kubernetesService = new KubernetesServiceReconciler(registry, ipRange.At(0), options, logger);
        host = new ApiServerHost(app, finalizer, proxy, compactor, watchCaches, kubernetesService);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await finalizer.DisposeAsync().ConfigureAwait(false);
            proxy.Dispose();
            // Kestrel reports "address in use" as an IOException but other bind failures
            // (EADDRNOTAVAIL, EACCES) as a bare SocketException: callers get one type for both.
            throw e as IOException ?? new IOException(e.Message, e);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.Url = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal));
        compactor.Start();
        watchCaches.Start(Resources.All);
        // The address and port it really serves (loopback until there is authentication).
        kubernetesService.Start(bindAddress.ToString(), host.Url.Port);
        return host;
    }

    /// <summary>
    /// Stops serving and the background work: open watches end, requests in flight finish until
    /// <paramref name="cancellationToken"/> is cancelled (a role host's stop deadline) and are
    /// aborted then. Call it or <see cref="DisposeAsync"/>, once.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Out of the kubernetes Endpoints first, while requests may still come: clients move on.
        await _kubernetesService.DisposeAsync().ConfigureAwait(false);
        // The caches next: their watchers' streams end, so Kestrel need not wait for them.
        await _watchCaches.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Cut short or not, the listener is closed and the rest is released.
            await _compactor.DisposeAsync().ConfigureAwait(false);
            await _finalizer.DisposeAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _proxy.Dispose();
        }
    }

    /// <summary>Stops serving (open watches end, requests in flight may finish) and the background work.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
