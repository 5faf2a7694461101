using System.Net;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.KubeProxy.Config;
using KubeProxyFast.KubeProxy.Metrics;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.KubeProxy.Agent;

/// <summary>
/// The standalone kube-proxy: an engine listening directly on each service port's addresses,
/// fed by a watched file of Services and Endpoints, with its metrics on a local port.
/// </summary>
public sealed partial class ProxyAgent : IAsyncDisposable
{
    private readonly ILogger _logger;
    private int _disposed;

    private ProxyAgent(ProxyEngine engine, ConfigFileSource config, MetricsServer? metrics, ILogger logger)
    {
        Engine = engine;
        Config = config;
        Metrics = metrics;
        _logger = logger;
    }

    /// <summary>The engine.</summary>
    public ProxyEngine Engine { get; }

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
        // The standalone proxy has no netfilter to redirect service addresses: it binds them itself.
        var engineOptions = options.Engine with { Listen = ListenMode.Direct };
        var configOptions = options.Config with { Standalone = true };
        var engine = new ProxyEngine(engineOptions, loggerFactory);
        ConfigFileSource? config = null;
        MetricsServer? metrics = null;
        try
        {
            config = new ConfigFileSource(options.ConfigPath, engine, configOptions, loggerFactory);
            var status = config.Load();
            if (!status.Succeeded)
            {
                throw new ProxyStartException(status.Message);
            }

            if (options.MetricsBindAddress is { } bind)
            {
                metrics = await StartMetrics(bind, engine, config, cancellationToken);
                AgentLog.MetricsListening(logger, $"http://{metrics.EndPoint}/metrics");
            }

            config.StartWatching();
            AgentLog.Started(logger, config.Path, status.ServicePorts, engineOptions.Threads);
            return new ProxyAgent(engine, config, metrics, logger);
        }
        catch
        {
            config?.Dispose();
            engine.Dispose();
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

        Engine.Dispose();
        AgentLog.Stopped(_logger);
    }

    private static async Task<MetricsServer> StartMetrics(
        IPEndPoint bind, ProxyEngine engine, ConfigFileSource config, CancellationToken cancellationToken)
    {
        try
        {
            return await MetricsServer.StartAsync(bind, engine, config, cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new ProxyStartException($"--metrics-bind-address {bind}: cannot listen: {e.Message}", e);
        }
    }

    private static partial class AgentLog
    {
        [LoggerMessage(200, LogLevel.Information, "serving {ServicePorts} service ports from {Path} with {Threads} event loop threads; watching it for changes")]
        public static partial void Started(ILogger logger, string path, int servicePorts, int threads);

        [LoggerMessage(201, LogLevel.Information, "metrics at {Url}")]
        public static partial void MetricsListening(ILogger logger, string url);

        [LoggerMessage(202, LogLevel.Information, "stopped: listeners closed")]
        public static partial void Stopped(ILogger logger);
    }
}
