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
using KubeProxyFast.ApiServer.Security;
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
/// The apiserver: Kestrel serving the API over an <see cref="IStore"/> — HTTPS with authentication
/// and authorization when <see cref="ApiServerOptions.Security"/> is set, plain HTTP on loopback otherwise.
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
    private readonly ApiSecurity? _security;

    private ApiServerHost(
        WebApplication app, NamespaceFinalizer finalizer, ProxyHandler proxy, Compactor compactor, WatchCaches watchCaches, KubernetesServiceReconciler kubernetesService,
        ApiSecurity? security)
    {
        _security = security;
        _kubernetesService = kubernetesService;
        _watchCaches = watchCaches;
        _app = app;
        _finalizer = finalizer;
        _proxy = proxy;
        _compactor = compactor;
    }

    /// <summary>
    /// The base URL clients use: <c>https://127.0.0.1:6443</c> when secured (a wildcard bind
    /// address is reached on loopback), <c>http://127.0.0.1:8080</c> otherwise.
    /// </summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The plain-HTTP URL of a secured server's insecure listener, when it has one.</summary>
    public Uri? InsecureUrl { get; private set; }

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
        var security = options.Security;
        if (security is null && !IPAddress.IsLoopback(options.BindAddress))
        {
            throw new ArgumentException(
                $"bind address {options.BindAddress} is not a loopback address: without TLS and authentication the apiserver serves 127.0.0.1 or ::1 only",
                nameof(options));
        }

        if (security?.InsecurePort is not null && !IPAddress.IsLoopback(security.InsecureBindAddress))
        {
            throw new ArgumentException(
                $"insecure bind address {security.InsecureBindAddress} is not a loopback address: plain HTTP is served on 127.0.0.1 or ::1 only",
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
            if (security is null)
            {
                kestrel.Listen(bindAddress, options.Port);
            }
            else
            {
                kestrel.Listen(bindAddress, options.Port, listen => ServingTls.Configure(listen, security));
                if (security.InsecurePort is { } insecurePort)
                {
                    kestrel.Listen(security.InsecureBindAddress, insecurePort);
                }
            }

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
        var apiSecurity = security is null ? null : await ApiSecurity.CreateAsync(security, registry, watchCaches, logger, cancellationToken).ConfigureAwait(false);
        var dispatcher = new ApiDispatcher(
            new ObjectHandlers(registry, namespaces, finalizer, options),
            lists,
            new WatchHandler(store, lists, watchCaches, metrics, options),
            proxy,
            Reviews.Reviewers.Handler(apiSecurity, options));
        var pipeline = new ApiPipeline(dispatcher, metrics, store, new TablePrinter(options.Time), cors,
            new RequestSlots(options.MaxRequestsInFlight), new RequestSlots(options.MaxMutatingRequestsInFlight), logger, () => Serving().ToString(), apiSecurity);
        app.Run(pipeline.HandleAsync);
        var compactor = new Compactor(store, options.CompactionInterval, options.Time, logger);
        var kubernetesService = new KubernetesServiceReconciler(registry, ipRange.At(0), options, logger);
        host = new ApiServerHost(app, finalizer, proxy, compactor, watchCaches, kubernetesService, apiSecurity);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await finalizer.DisposeAsync().ConfigureAwait(false);
            if (apiSecurity is not null)
            {
                await apiSecurity.DisposeAsync().ConfigureAwait(false);
            }

            proxy.Dispose();
            // Kestrel reports "address in use" as an IOException but other bind failures
            // (EADDRNOTAVAIL, EACCES) as a bare SocketException: callers get one type for both.
            throw e as IOException ?? new IOException(e.Message, e);
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        host.Url = Reachable(addresses.First(a => security is null || a.StartsWith("https://", StringComparison.Ordinal)));
        host.InsecureUrl = security?.InsecurePort is null ? null : Reachable(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        compactor.Start();
        watchCaches.Start(Resources.All);
        apiSecurity?.Start();
        // The address and port it really serves: the advertised address, else the bound one
        // (a wildcard is advertised as the host's first address that others can reach).
        kubernetesService.Start(AdvertisedAddress(options, bindAddress).ToString(), host.Url.Port);
        return host;
    }

    /// <summary>A listening address as clients reach it: a wildcard becomes loopback (the serving certificate names 127.0.0.1, ::1 and localhost).</summary>
    private static Uri Reachable(string address) =>
        new(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));

    /// <summary>
    /// The address published in the <c>kubernetes</c> Endpoints (kube-apiserver's <c>--advertise-address</c>):
    /// the option, else the bind address, else — for a wildcard — the host's first non-loopback IPv4 address, else loopback.
    /// </summary>
    private static IPAddress AdvertisedAddress(ApiServerOptions options, IPAddress bindAddress)
    {
        if (options.AdvertiseAddress is { } advertised)
        {
            return advertised;
        }

        if (!bindAddress.Equals(IPAddress.Any) && !bindAddress.Equals(IPAddress.IPv6Any))
        {
            return bindAddress;
        }

        foreach (var nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != System.Net.NetworkInformation.OperationalStatus.Up)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    return unicast.Address;
                }
            }
        }

        return IPAddress.Loopback;
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
            if (_security is not null)
            {
                await _security.DisposeAsync().ConfigureAwait(false);
            }

            _proxy.Dispose();
        }
    }

    /// <summary>Stops serving (open watches end, requests in flight may finish) and the background work.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
