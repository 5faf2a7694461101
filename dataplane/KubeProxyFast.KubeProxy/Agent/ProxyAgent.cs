using System.Net;
using KubeProxyFast.Dataplane.Netfilter.Sync;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.KubeProxy.Config;
using KubeProxyFast.KubeProxy.Metrics;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.KubeProxy.Agent;

/// <summary>
/// The kube-proxy fed by a watched file of Services and Endpoints, with its metrics on a local
/// port: an engine listening on each service port's addresses (direct mode), an engine behind
/// netfilter redirects (userspace mode), or netfilter DNAT alone (kernel mode).
/// </summary>
public sealed partial class ProxyAgent : IAsyncDisposable
{
    private readonly ILogger _logger;
    private int _disposed;

    private ProxyAgent(ProxyEngine? engine, NetfilterSyncLoop? netfilter, ConfigFileSource config, MetricsServer? metrics, ILogger logger)
    {
        Engine = engine;
        Netfilter = netfilter;
        Config = config;
        Metrics = metrics;
        _logger = logger;
    }

    /// <summary>The userspace engine; null in kernel mode, where no byte passes through us.</summary>
    public ProxyEngine? Engine { get; }

    /// <summary>The loop programming netfilter (userspace and kernel mode), or null.</summary>
    public NetfilterSyncLoop? Netfilter { get; }

    /// <summary>The watched config file.</summary>
    public ConfigFileSource Config { get; }

    /// <summary>The metrics server, or null when metrics are off.</summary>
    public MetricsServer? Metrics { get; }

    /// <summary>
    /// Starts the engine, loads the config file, starts the metrics server, then watches the file.
    /// Fails fast: at start there is no configuration from before to keep serving, and an operator
    /// who just typed the command should see the typo rather than a proxy serving nothing.
    /// </summary>
    /// <exception cref="ProxyStartException">The first load failed (the message names file, document and field) or the metrics address cannot be bound.</exception>
    public static async Task<ProxyAgent> StartAsync(
        ProxyAgentOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger("KubeProxyFast.KubeProxy");
        // Without netfilter the proxy binds the service addresses itself; with redirects it
        // listens on one local port per service port.
        var engineOptions = options.Engine with { Listen = options.Mode == ProxyMode.Userspace ? ListenMode.ProxyPort : ListenMode.Direct };
        var configOptions = options.Config with { Standalone = true };
        ProxyEngine? engine = null;
        NetfilterSyncLoop? netfilter = null;
        ConfigFileSource? config = null;
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
            config = new ConfigFileSource(options.ConfigPath, target, configOptions, loggerFactory);
            var status = config.Load();
            if (!status.Succeeded)
            {
                throw new ProxyStartException(status.Message);
            }

            if (options.MetricsBindAddress is { } bind)
            {
                metrics = await StartMetrics(bind, engine, config, netfilter, cancellationToken);
                AgentLog.MetricsListening(logger, $"http://{metrics.EndPoint}/metrics");
            }

            config.StartWatching();
            AgentLog.Started(logger, config.Path, status.ServicePorts, ModeName(options.Mode));
            return new ProxyAgent(engine, netfilter, config, metrics, logger);
        }
        catch
        {
            config?.Dispose();
            netfilter?.Dispose();
            engine?.Dispose();
            throw;
        }
    }

    /// <summary>Stops watching, stops the metrics server, and disposes the engine (closing every listener and connection).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Config.Dispose();
        if (Metrics is not null)
        {
            await Metrics.DisposeAsync();
        }

        // Rules first (unless kept), so no traffic is redirected to listeners that are closing.
        Netfilter?.Dispose();
        Engine?.Dispose();
        AgentLog.Stopped(_logger);
    }

    private static NetfilterSyncLoop OpenNetfilter(ProxyAgentOptions options, ILoggerFactory loggerFactory)
    {
        var mode = options.Mode == ProxyMode.Kernel ? NetfilterMode.Kernel : NetfilterMode.Userspace;
        try
        {
            return new NetfilterSyncLoop(options.Netfilter with { Mode = mode }, loggerFactory);
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
        IPEndPoint bind, ProxyEngine? engine, ConfigFileSource config, NetfilterSyncLoop? netfilter, CancellationToken cancellationToken)
    {
        try
        {
            return await MetricsServer.StartAsync(bind, engine, config, netfilter, cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new ProxyStartException($"--metrics-bind-address {bind}: cannot listen: {e.Message}", e);
        }
    }

    private static partial class AgentLog
    {
        [LoggerMessage(200, LogLevel.Information, "serving {ServicePorts} service ports from {Path} in {Mode} mode; watching it for changes")]
        public static partial void Started(ILogger logger, string path, int servicePorts, string mode);

        [LoggerMessage(201, LogLevel.Information, "metrics at {Url}")]
        public static partial void MetricsListening(ILogger logger, string url);

        [LoggerMessage(202, LogLevel.Information, "stopped")]
        public static partial void Stopped(ILogger logger);
    }
}
