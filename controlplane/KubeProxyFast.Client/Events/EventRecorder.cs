using System.Threading.Channels;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client.Events;

/// <summary>
/// Records events about objects as client-go's EventRecorder does (tools/record): <see cref="Event"/>
/// never blocks nor throws; events queue (bounded, dropped when full) for one writer that runs
/// them through <see cref="EventCorrelator"/> — spam filter, aggregation of similar events,
/// deduplication into count/lastTimestamp/series patches — and writes them through
/// <see cref="KubeClient"/>, retrying a failed write a bounded number of times.
/// </summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly KubeClient _client;
    private readonly EventSource _source;
    private readonly TimeProvider _time;
    private readonly EventRecorderOptions _options;
    private readonly EventCorrelator _correlator;
    private readonly Channel<Event> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;
    private long _dropped;
    private long _lastNanos;
    private long _written;

    /// <param name="client">Where events are written.</param>
    /// <param name="source">Who reports them: the component (e.g. <c>replication-controller</c>) and the host, if any.</param>
    /// <param name="time">The clock of timestamps, the spam filter and retries.</param>
    /// <param name="options">Limits; client-go's by default.</param>
    public EventRecorder(KubeClient client, EventSource source, TimeProvider? time = null, EventRecorderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(source);
        _client = client;
        _source = source;
        _time = time ?? TimeProvider.System;
        _options = options ?? new EventRecorderOptions();
        _correlator = new EventCorrelator(_options, _time);
        _queue = Channel.CreateBounded<Event>(new BoundedChannelOptions(_options.QueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(() => WriteLoopAsync(_stop.Token));
    }

    /// <summary>Events dropped: the queue was full, or every attempt to write them failed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Events written (created or patched).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>
    /// Records that <paramref name="type"/> (<c>Normal</c> or <c>Warning</c>) <paramref name="reason"/>
    /// happened to <paramref name="obj"/>. Returns at once; the event is written in the background.
    /// </summary>
    public void Event(KubeObject obj, string type, string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var now = _time.GetUtcNow();
        var reference = Reference(obj);
        var e = new Event
        {
            Metadata = new ObjectMeta
            {
                Name = $"{reference.Name}.{UniqueNanos(now):x}",
                Namespace = string.IsNullOrEmpty(reference.Namespace) ? "default" : reference.Namespace,
            },
            InvolvedObject = reference,
            Reason = reason,
            Message = message,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
            Type = type,
            Source = new EventSource { Component = _source.Component, Host = _source.Host },
            ReportingComponent = _source.Component,
            ReportingInstance = _source.Host,
        };
        // TryWrite of a bounded channel in Wait mode refuses when full instead of waiting.
        if (!_queue.Writer.TryWrite(e))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Stops writing; events still queued are dropped (as client-go's broadcaster does on shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var correlated = _correlator.Correlate(e);
                if (!correlated.Skip)
                {
                    await WriteAsync(correlated, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>Writes one event, retrying a transport failure up to the attempt limit; an error the server answered drops the event at once.</summary>
    private async Task WriteAsync(CorrelatedEvent correlated, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            try
            {
                await WriteOnceAsync(correlated, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _written);
                return;
            }
            catch (KubeApiException)
            {
                // The server answered: as client-go's recordEvent, an API status is never retried
                // (a retry would block every later event behind this one for minutes).
                break;
            }
            catch (Exception e) when (e is KubeConnectionException or HttpRequestException)
            {
                if (attempt == _options.MaxAttempts)
                {
                    break;
                }

                // client-go randomises the first wait so that recorders restarted together do not retry together.
                var wait = attempt == 1 ? _options.RetryInterval * Random.Shared.NextDouble() : _options.RetryInterval;
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }

        Interlocked.Increment(ref _dropped);
    }

    private async Task WriteOnceAsync(CorrelatedEvent correlated, CancellationToken cancellationToken)
    {
        var e = correlated.Event;
        if (correlated.Patch is { } patch)
        {
            try
            {
                await _client.PatchAsync<Event>(e.Metadata.Namespace, e.Metadata.Name!, PatchType.Merge, patch, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (KubeApiException notFound) when (notFound.IsNotFound)
            {
                // Deleted (or expired) since: written anew under the same name, with the count so far.
            }
        }

        e.Metadata.ResourceVersion = null;
        await _client.CreateAsync(e, cancellationToken).ConfigureAwait(false);
    }

    private static ObjectReference Reference(KubeObject obj)
    {
        var kind = obj.Kind;
        var apiVersion = obj.ApiVersion;
        if (kind is null || apiVersion is null)
        {
            foreach (var info in KubeKinds.All)
            {
                if (info.Type == obj.GetType())
                {
                    kind ??= info.Kind;
                    apiVersion ??= info.ApiVersion;
                    break;
                }
            }
        }

        return new ObjectReference
        {
            Kind = kind,
            ApiVersion = apiVersion,
            Namespace = obj.Metadata.Namespace,
            Name = obj.Metadata.Name,
            Uid = obj.Metadata.Uid,
            ResourceVersion = obj.Metadata.ResourceVersion,
        };
    }

    /// <summary>
    /// The time in Unix nanoseconds, as client-go names events, but strictly increasing per
    /// recorder: .NET clocks tick in 100 ns (a fake one not at all), and two events of one object
    /// in one tick would otherwise share a name and the second be refused as AlreadyExists.
    /// </summary>
    private long UniqueNanos(DateTimeOffset time)
    {
        var nanos = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        while (true)
        {
            var last = Interlocked.Read(ref _lastNanos);
            var next = Math.Max(nanos, last + 1);
            if (Interlocked.CompareExchange(ref _lastNanos, next, last) == last)
            {
                return next;
            }
        }
    }
}
