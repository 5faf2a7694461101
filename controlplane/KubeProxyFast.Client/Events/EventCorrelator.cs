using System.Text.Json.Nodes;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Client.Events;

/// <summary>What the correlator made of an event: skip it, create it, or patch the one already written.</summary>
/// <param name="Event">The event to write (its name is the existing one's when <paramref name="Patch"/> is set).</param>
/// <param name="Patch">A merge patch of count, lastTimestamp, message and series for the existing event; null to create.</param>
/// <param name="Skip">The spam filter dropped it.</param>
internal sealed record CorrelatedEvent(Event Event, string? Patch, bool Skip);

/// <summary>
/// client-go's EventCorrelator (tools/record/events_cache.go), in its order: a spam filter (a
/// token bucket per source and object: 25 events, then one per 5 minutes), an aggregator (more
/// than <see cref="EventRecorderOptions.MaxSimilarEvents"/> events that differ only in message
/// within 10 minutes become one "(combined from similar events): …" event) and a deduplicator
/// (an identical event raises the count and lastTimestamp of the one written before, by a patch).
/// Not thread-safe: the recorder's single writer calls it.
/// </summary>
internal sealed class EventCorrelator
{
    private const string CombinedPrefix = "(combined from similar events): ";

    private readonly EventRecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly LruCache<TokenBucket> _spam;
    private readonly LruCache<(HashSet<string> Messages, DateTimeOffset Since)> _similar;
    private readonly LruCache<Observed> _seen;

    public EventCorrelator(EventRecorderOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _spam = new(options.CacheSize);
        _similar = new(options.CacheSize);
        _seen = new(options.CacheSize);
    }

    /// <summary>Filters, aggregates and deduplicates <paramref name="e"/>.</summary>
    public CorrelatedEvent Correlate(Event e)
    {
        var now = _time.GetUtcNow();
        var elapsed = _time.GetElapsedTime(0);
        var spamKey = EventKeys.Spam(e);
        if (!_spam.TryGet(spamKey, out var bucket))
        {
            bucket = new TokenBucket(_options.SpamInterval, _options.SpamBurst, elapsed);
            _spam.Set(spamKey, bucket);
        }

        if (!bucket.TryTake(elapsed))
        {
            return new CorrelatedEvent(e, null, Skip: true);
        }

        var (correlated, key) = Aggregate(e, now);
        if (!_seen.TryGet(key, out var last))
        {
            _seen.Set(key, new Observed(correlated.Metadata.Name!, 1, correlated.FirstTimestamp));
            return new CorrelatedEvent(correlated, null, Skip: false);
        }

        var count = last.Count + 1;
        correlated.Metadata.Name = last.Name;
        correlated.FirstTimestamp = last.FirstTimestamp;
        correlated.Count = count;
        correlated.Series = new EventSeries { Count = count, LastObservedTime = now };
        _seen.Set(key, last with { Count = count });
        var patch = new JsonObject
        {
            ["count"] = count,
            ["lastTimestamp"] = correlated.LastTimestamp?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["message"] = correlated.Message,
            ["series"] = new JsonObject
            {
                ["count"] = count,
                ["lastObservedTime"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        return new CorrelatedEvent(correlated, patch.ToJsonString(), Skip: false);
    }

    private (Event Event, string Key) Aggregate(Event e, DateTimeOffset now)
    {
        var aggregateKey = EventKeys.Aggregate(e);
        if (!_similar.TryGet(aggregateKey, out var similar) || now - similar.Since > _options.SimilarWindow)
        {
            similar = (new HashSet<string>(StringComparer.Ordinal), now);
            _similar.Set(aggregateKey, similar);
        }

        similar.Messages.Add(e.Message ?? "");
        if (similar.Messages.Count < _options.MaxSimilarEvents)
        {
            return (e, EventKeys.Identical(e));
        }

        var combined = new Event
        {
            Metadata = new() { Name = e.Metadata.Name, Namespace = e.Metadata.Namespace },
            InvolvedObject = e.InvolvedObject,
            Reason = e.Reason,
            Message = CombinedPrefix + e.Message,
            Source = e.Source,
            FirstTimestamp = e.FirstTimestamp,
            LastTimestamp = e.LastTimestamp,
            Count = 1,
            Type = e.Type,
            ReportingComponent = e.ReportingComponent,
            ReportingInstance = e.ReportingInstance,
        };
        return (combined, aggregateKey);
    }

    private sealed record Observed(string Name, int Count, DateTimeOffset? FirstTimestamp);
}
