using KubeProxyFast.Client.Runner;
using KubeProxyFast.KubeProxy.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.KubeProxy.Pipeline;

/// <summary>
/// Source → runner → target: the source (a file or an apiserver) says when something changed, a
/// <see cref="BoundedFrequencyRunner"/> decides when to sync (at most one burst of syncs per
/// <see cref="ProxyPipelineOptions.MinSyncPeriod"/>, at least one per
/// <see cref="ProxyPipelineOptions.SyncPeriod"/>), and each sync has the source apply its latest
/// state to its target, as kube-proxy's informers → change trackers → syncProxyRules.
/// </summary>
public sealed class ProxyPipeline : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly BoundedFrequencyRunner _runner;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>A pipeline from <paramref name="source"/>; nothing runs until <see cref="Start"/>.</summary>
    public ProxyPipeline(IProxySource source, ProxyPipelineOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new ProxyPipelineOptions();
        options.Validate();
        Source = source;
        _time = time ?? TimeProvider.System;
        _runner = new BoundedFrequencyRunner(
            "proxy-sync", SyncAsync, options.MinSyncPeriod, options.SyncPeriod, options.Burst, _time,
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("KubeProxyFast.KubeProxy.Pipeline"));
    }

    /// <summary>The source synced.</summary>
    public IProxySource Source { get; }

    /// <summary>The sync metrics (durations, network programming latency).</summary>
    public ProxySyncMetrics Metrics { get; } = new();

    /// <summary>Starts the runner and has the source report its changes to it. Call once, after the first sync.</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("the pipeline is already started");
        }

        _loop = _runner.LoopAsync(_stop.Token);
        Source.StartWatching(_runner.Run);
    }

    /// <summary>Completes when no sync is asked for, running, or owed as a retry.</summary>
    public Task WaitIdleAsync(CancellationToken cancellationToken = default) => _runner.WaitIdleAsync(cancellationToken);

    /// <summary>Stops the runner (a sync in progress finishes) and the source.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        Source.Dispose();
        _stop.Dispose();
    }

    private Task SyncAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var changes = Source.Sync();
        Metrics.Synced(_time.GetUtcNow(), _time.GetElapsedTime(started), changes);
        return Task.CompletedTask;
    }
}
