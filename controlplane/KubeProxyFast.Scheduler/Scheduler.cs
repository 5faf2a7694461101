using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Events;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Client.Metrics;
using KubeProxyFast.Scheduler.Algorithm;
using KubeProxyFast.Scheduler.Cache;
using KubeProxyFast.Scheduler.Queue;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Scheduler;

/// <summary>
/// The scheduler, as Kubernetes' kube-scheduler with its default profile: watches pods, nodes,
/// Services and ReplicationControllers through the shared informers, takes each unbound pod of its
/// scheduler name from a priority queue, filters and scores the nodes, assumes the pod on the
/// chosen node and binds it through <c>pods/binding</c> without waiting (many bindings in flight),
/// and reports failures as Kubernetes does (a <c>FailedScheduling</c> event and the pod's
/// <c>PodScheduled</c> condition). See README.md.
/// </summary>
public sealed partial class Scheduler : IAsyncDisposable
{
    private readonly KubeClient _client;
    private readonly TimeProvider _time;
    private readonly SchedulerOptions _options;
    private readonly ILogger _logger;
    private readonly SchedulerCache _cache = new();
    private readonly SpreadSelectors _spread = new();
    private readonly SchedulingQueue _queue;
    private readonly ScheduleAlgorithm _algorithm;
    private readonly SchedulerMetrics _metrics;
    private readonly EventRecorder _recorder;
    private readonly SemaphoreSlim _bindSlots;
    private readonly SharedInformer<Pod> _pods;
    private readonly SharedInformer<Node> _nodes;
    private readonly SharedInformer<Service> _services;
    private readonly SharedInformer<ReplicationController> _controllers;
    private readonly List<IAsyncDisposable> _registrations = [];
    private int _running;

    /// <summary>Cancelled when the term (<see cref="RunAsync"/>) ends: stops the bindings and status writes in flight.</summary>
    private CancellationToken _stopping;

    /// <summary>
    /// A scheduler over <paramref name="informers"/>: its handlers are added now, and the informers
    /// it needs (pods, nodes, services, replicationcontrollers) asked for. The owner starts the
    /// factory (before or after this; <see cref="RunAsync"/> waits for the caches).
    /// </summary>
    /// <param name="client">The apiserver: bindings, pod status, events.</param>
    /// <param name="informers">The process's shared informers.</param>
    /// <param name="loggerFactory">Where it logs.</param>
    /// <param name="time">The clock of backoffs, expiries and timestamps; the system clock when null.</param>
    /// <param name="options">Settings; Kubernetes' defaults when null.</param>
    /// <param name="metrics">Where its metrics are registered; a private registry when null.</param>
    public Scheduler(
        KubeClient client,
        SharedInformerFactory informers,
        ILoggerFactory loggerFactory,
        TimeProvider? time = null,
        SchedulerOptions? options = null,
        MetricsRegistry? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(informers);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options ?? new SchedulerOptions();
        _options.Validate();
        _client = client;
        _time = time ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<Scheduler>();
        _queue = new SchedulingQueue(_time, _options.PodInitialBackoff, _options.PodMaxBackoff, _options.PodMaxInUnschedulablePodsDuration);
        _algorithm = new ScheduleAlgorithm(_options.PercentageOfNodesToScore, new Random());
        _metrics = new SchedulerMetrics(metrics ?? new MetricsRegistry(), _options.SchedulerName, _queue);
        _recorder = new EventRecorder(client, new EventSource { Component = _options.SchedulerName }, _time);
        _bindSlots = new SemaphoreSlim(_options.MaxConcurrentBindings);
        _pods = informers.InformerFor<Pod>();
        _nodes = informers.InformerFor<Node>();
        _services = informers.InformerFor<Service>();
        _controllers = informers.InformerFor<ReplicationController>();
        AddHandlers();
    }

    /// <summary>Scheduling attempts that ended with the pod assumed and bound.</summary>
    public long ScheduledCount => (long)_metrics.Attempts(SchedulerMetrics.Scheduled);

    /// <summary>Scheduling attempts that found no node for the pod.</summary>
    public long UnschedulableCount => (long)_metrics.Attempts(SchedulerMetrics.Unschedulable);

    /// <summary>
    /// Waits for the informers' caches, then schedules until <paramref name="cancellationToken"/> is
    /// cancelled; returns (without throwing) after the bindings in flight have ended. Runs once per instance.
    /// </summary>
    /// <exception cref="InvalidOperationException">It is already running, or ran before.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException("the scheduler runs once");
        }

        try
        {
            await Task.WhenAll(
                _pods.WaitForCacheSyncAsync(cancellationToken),
                _nodes.WaitForCacheSyncAsync(cancellationToken),
                _services.WaitForCacheSyncAsync(cancellationToken),
                _controllers.WaitForCacheSyncAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        var pending = _queue.Counts();
        SchedulerLog.Started(_logger, _options.SchedulerName, _cache.Nodes.Count, pending.Active + pending.Backoff + pending.Unschedulable);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _stopping = stop.Token;
        var housekeeping = HousekeepingLoopAsync(stop.Token);
        try
        {
            await ScheduleLoopAsync(stop.Token).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            _queue.Close();
            await housekeeping.ConfigureAwait(false);
            await WaitForBindingsAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Removes the handlers, writes the events it holds (within the recorder's limits) and releases the metrics.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Close();
        foreach (var registration in _registrations)
        {
            await registration.DisposeAsync().ConfigureAwait(false);
        }

        _registrations.Clear();
        await _recorder.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
        _bindSlots.Dispose();
    }

    /// <summary>Every second as Kubernetes (or every initial backoff, when shorter): backoff and unschedulable flushes, and expiry of assumed pods.</summary>
    private async Task HousekeepingLoopAsync(CancellationToken cancellationToken)
    {
        var tick = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, _options.PodInitialBackoff.Ticks));
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(tick, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _queue.Flush();
            var expired = _cache.CleanupExpired(_time.GetUtcNow());
            if (expired > 0)
            {
                SchedulerLog.Expired(_logger, expired);
                _queue.MoveAllToActiveOrBackoff();
            }
        }
    }
}
