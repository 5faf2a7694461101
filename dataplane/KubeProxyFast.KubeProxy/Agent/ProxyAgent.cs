using System.Net;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Dataplane.Netfilter.Sync;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.KubeProxy.Config;
using KubeProxyFast.KubeProxy.Metrics;
using KubeProxyFast.KubeProxy.Netfilter;
using KubeProxyFast.KubeProxy.Pipeline;
using KubeProxyFast.KubeProxy.Sources;
using KubeProxyFast.KubeProxy.Sources.ApiServer;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.KubeProxy.Agent;

/// <summary>
/// The kube-proxy: a source (a watched file of Services and Endpoints, or an apiserver's) → a
/// bounded-frequency runner → a target — an engine listening on each service port's addresses
/// (direct mode), an engine behind netfilter redirects (userspace mode), or netfilter DNAT alone
/// (kernel mode) — with its metrics on a local port.
/// </summary>
public sealed partial class ProxyAgent : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly KubeClient? _client;
    private readonly SharedInformerFactory? _informers;
    private int _disposed;

    private ProxyAgent(
        ProxyEngine? engine, NetfilterSyncLoop? netfilter, ProxyPipeline pipeline, MetricsServer? metrics,
        KubeClient? client, SharedInformerFactory? informers, ILogger logger)
    {
        _informers = informers;
        Engine = engine;
        Netfilter = netfilter;
        Pipeline = pipeline;
        Metrics = metrics;
        _client = client;
        _logger = logger;
    }

    /// <summary>The userspace engine; null in kernel mode, where no byte passes through us.</summary>
    public ProxyEngine? Engine { get; }

    /// <summary>The loop programming netfilter (userspace and kernel mode), or null.</summary>
    public NetfilterSyncLoop? Netfilter { get; }

    /// <summary>Source → runner → target.</summary>
    public ProxyPipeline Pipeline { get; }

    /// <summary>Where Services and Endpoints come from.</summary>
    public IProxySource Source => Pipeline.Source;

    /// <summary>The watched config file, or null when serving an apiserver's Services.</summary>
    public ConfigFileSource? Config => Pipeline.Source as ConfigFileSource;

    /// <summary>The metrics server, or null when metrics are off.</summary>
    public MetricsServer? Metrics { get; }

    /// <summary>
    /// Starts the target, makes the first sync (a file is loaded; an apiserver's Services and
    /// Endpoints are listed, waiting while it cannot be reached), starts the metrics server, then
    /// follows changes through the runner. A file fails fast: at start there is no configuration
    /// from before to keep serving, and an operator who just typed the command should see the
    /// typo rather than a proxy serving nothing.
    /// </summary>
    /// <exception cref="ProxyStartException">No source or two; the first load failed (the message names file, document and field); the kubeconfig cannot be read; or the metrics address cannot be bound.</exception>
    public static async Task<ProxyAgent> StartAsync(
        ProxyAgentOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.ValidateSource();
        var logger = loggerFactory.CreateLogger("KubeProxyFast.KubeProxy");
        // Without netfilter the proxy binds the service addresses itself; with redirects it
        // listens on one local port per service port.
        var engineOptions = options.Engine with { Listen = options.Mode == ProxyMode.Userspace ? ListenMode.ProxyPort : ListenMode.Direct };
        ProxyEngine? engine = null;
        NetfilterSyncLoop? netfilter = null;
        KubeClient? client = null;
        SharedInformerFactory? informers = null;
        IProxySource? source = null;
        ProxyPipeline? pipeline = null;
        MetricsServer? metrics = null;
        try
        {
            if (options.Mode != ProxyMode.Direct)
            {
                netfilter = OpenNetfilter(options, loggerFactory);
            }

            ISnapshotTarget target = options.Mode == ProxyMode.Kernel
                ? new KernelTarget(netfilter!)
                : new EngineTarget(engine = new ProxyEngine(engineOptions, loggerFactory), netfilter);
            if (options.ConfigPath is { } path)
            {
                source = FirstLoad(new ConfigFileSource(path, target, options.Config with { Standalone = true }, loggerFactory));
            }
            else
            {
                client = CreateClient(options);
                informers = new SharedInformerFactory(client, options.ApiServer.Informers(loggerFactory.CreateLogger("KubeProxyFast.Client"), TimeProvider.System));
                var apiserver = new ApiServerSource(informers, target, client.BaseAddress.ToString(), loggerFactory);
                source = apiserver;
                AgentLog.Listing(logger, apiserver.Description);
                // Not the start's token: the informers live as long as the agent, which stops them.
                informers.Start(CancellationToken.None);
                await apiserver.StartAsync(cancellationToken);
                apiserver.Sync();
            }

            pipeline = new ProxyPipeline(source, options.Sync, loggerFactory);
            if (options.MetricsBindAddress is { } bind)
            {
                metrics = await StartMetrics(bind, engine, source, netfilter, pipeline.Metrics, cancellationToken);
                AgentLog.MetricsListening(logger, $"http://{metrics.EndPoint}/metrics");
            }

            pipeline.Start();
            AgentLog.Started(logger, source.Description, source.Status?.ServicePorts ?? 0, ModeName(options.Mode));
            return new ProxyAgent(engine, netfilter, pipeline, metrics, client, informers, logger);
        }
        catch
        {
            if (pipeline is not null)
            {
                await pipeline.DisposeAsync();
            }
            else
            {
                source?.Dispose();
            }

            if (metrics is not null)
            {
                await metrics.DisposeAsync();
            }

            if (informers is not null)
            {
                await informers.DisposeAsync();
            }

            client?.Dispose();
            netfilter?.Dispose();
            engine?.Dispose();
            throw;
        }
    }

    /// <summary>Stops the pipeline and the source, stops the metrics server, and disposes the target (closing every listener and connection).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Pipeline.DisposeAsync();
        if (_informers is not null)
        {
            await _informers.DisposeAsync();
        }

        _client?.Dispose();
        if (Metrics is not null)
        {
            await Metrics.DisposeAsync();
        }

        // Rules first (unless kept), so no traffic is redirected to listeners that are closing.
        Netfilter?.Dispose();
        Engine?.Dispose();
        AgentLog.Stopped(_logger);
    }

    private static ConfigFileSource FirstLoad(ConfigFileSource config)
    {
        var status = config.Load();
        if (!status.Succeeded)
        {
            config.Dispose();
            throw new ProxyStartException(status.Message);
        }

        return config;
    }

    private static KubeClient CreateClient(ProxyAgentOptions options)
    {
        if (options.Kubeconfig is not { } kubeconfig)
        {
            return new KubeClient(options.Master!);
        }

        try
        {
            var client = KubeClient.FromKubeconfig(kubeconfig);
            if (options.Master is not { } master)
            {
                return client;
            }

            client.Dispose();
            return new KubeClient(master);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new ProxyStartException($"--kubeconfig {kubeconfig}: {e.Message}", e);
        }
    }

    private static NetfilterSyncLoop OpenNetfilter(ProxyAgentOptions options, ILoggerFactory loggerFactory)
    {
        var mode = options.Mode == ProxyMode.Kernel ? NetfilterMode.Kernel : NetfilterMode.Userspace;
        try
        {
            // The pipeline's runner already spaces the snapshots by --min-sync-period: a second
            // minimum here would add up to twice the wait.
            return new NetfilterSyncLoop(options.Netfilter with
            {
                Mode = mode,
                MinSyncPeriod = TimeSpan.Zero,
                SyncPeriod = options.Sync.SyncPeriod,
            }, loggerFactory);
        }
        catch (InvalidOperationException e)
        {
            throw new ProxyStartException($"--proxy-mode {ModeName(options.Mode)}: {e.Message}", e);
        }
    }

    private static string ModeName(ProxyMode mode) => mode switch
    {
        ProxyMode.Userspace => "userspace",
        ProxyMode.Kernel => "kernel",
        _ => "direct",
    };

    private static async Task<MetricsServer> StartMetrics(
        IPEndPoint bind, ProxyEngine? engine, IProxySource source, NetfilterSyncLoop? netfilter, ProxySyncMetrics sync,
        CancellationToken cancellationToken)
    {
        try
        {
            return await MetricsServer.StartAsync(bind, engine, source, netfilter, sync, cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new ProxyStartException($"--metrics-bind-address {bind}: cannot listen: {e.Message}", e);
        }
    }

    private static partial class AgentLog
    {
        [LoggerMessage(200, LogLevel.Information, "serving {ServicePorts} service ports from {Source} in {Mode} mode; following its changes")]
        public static partial void Started(ILogger logger, string source, int servicePorts, string mode);

        [LoggerMessage(201, LogLevel.Information, "metrics at {Url}")]
        public static partial void MetricsListening(ILogger logger, string url);

        [LoggerMessage(202, LogLevel.Information, "stopped")]
        public static partial void Stopped(ILogger logger);

        [LoggerMessage(203, LogLevel.Information, "listing Services and Endpoints from {Server}")]
        public static partial void Listing(ILogger logger, string server);
    }
}
