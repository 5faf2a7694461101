using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Events;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Client.Metrics;
using KubeProxyFast.Client.WorkQueue;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers;

/// <summary>
/// What every controller of one controller manager shares: the client, one informer factory (one
/// list+watch per kind for the whole process), the clock, logging, metrics, work queues and event recorders.
/// The manager (or a test) owns it and disposes it after the controllers have stopped.
/// </summary>
public sealed class ControllerContext : IAsyncDisposable
{
    private readonly List<EventRecorder> _recorders = [];
    private readonly Lock _lock = new();

    /// <param name="client">The apiserver, reached only through the API.</param>
    /// <param name="informers">The shared informers; started by the manager after every controller was built.</param>
    /// <param name="loggerFactory">Where controllers log.</param>
    /// <param name="time">The clock of queues, grace periods and timestamps (a fake one in tests).</param>
    /// <param name="metrics">Where the queues' and controllers' metrics go (the role's <c>/metrics</c>); a private registry when null.</param>
    public ControllerContext(KubeClient client, SharedInformerFactory informers, ILoggerFactory loggerFactory, TimeProvider? time = null, MetricsRegistry? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(informers);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Client = client;
        Informers = informers;
        LoggerFactory = loggerFactory;
        Time = time ?? TimeProvider.System;
        Metrics = metrics ?? new MetricsRegistry();
    }

    /// <summary>The apiserver.</summary>
    public KubeClient Client { get; }

    /// <summary>The informers every controller shares.</summary>
    public SharedInformerFactory Informers { get; }

    /// <summary>Where controllers log.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>
    /// The metrics registry, shared by every controller and kept across leadership terms (the same
    /// names give the same series): controllers register their own families here.
    /// </summary>
    public MetricsRegistry Metrics { get; }

    /// <summary>
    /// A work queue named <paramref name="name"/> (the controller's name, as client-go names its
    /// queues in the <c>workqueue_*</c> metrics) with client-go's default controller rate limiter,
    /// recording client-go's <c>workqueue_*</c> series labelled <c>name</c> in <see cref="Metrics"/>.
    /// The controller disposes it when it stops.
    /// </summary>
    public RateLimitingQueue<TKey> CreateQueue<TKey>(string name)
        where TKey : notnull
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new RateLimitingQueue<TKey>(RateLimiters.DefaultController<TKey>(Time), Time, new WorkQueueMetrics(Metrics, name));
    }

    /// <summary>An event recorder reporting as <paramref name="component"/> (e.g. <c>replication-controller</c>); flushed and disposed with the context.</summary>
    public EventRecorder CreateRecorder(string component)
    {
        ArgumentException.ThrowIfNullOrEmpty(component);
        var recorder = new EventRecorder(Client, new EventSource { Component = component }, Time);
        lock (_lock)
        {
            _recorders.Add(recorder);
        }

        return recorder;
    }

    /// <summary>Disposes the event recorders (writing what they hold, within their own limits).</summary>
    public async ValueTask DisposeAsync()
    {
        EventRecorder[] recorders;
        lock (_lock)
        {
            recorders = [.. _recorders];
            _recorders.Clear();
        }

        foreach (var recorder in recorders)
        {
            await recorder.DisposeAsync().ConfigureAwait(false);
        }
    }
}
