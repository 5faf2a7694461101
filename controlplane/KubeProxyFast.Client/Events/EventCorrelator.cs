using System.Text.Json.Nodes;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Client.Events;

/// <summary>What the correlator made of an event: skip it, create it, or patch the one already written.</summary>
/// <param name="Event">The event to write (its name is the existing one's when <paramref name="Patch"/> is set).</param>
/// <param name="Patch">A merge patch of count, lastTimestamp, message and series for the existing event; null to create.</param>
/// <param name="Skip">The spam filter dropped it.</param>
internal sealed record CorrelatedEvent(Event Event, string? Patch, bool Skip);

/// <summary>
/// client-go's EventCorrelator (tools/record/events_cache.go), in its order: an aggregator (from
/// the <see cref="EventRecorderOptions.MaxSimilarEvents"/>th event that differs only in message,
/// with no gap of more than 10 minutes between them, one "(combined from similar events): …"
/// event), a deduplicator (an identical event raises the count and lastTimestamp of the one
/// written before, by a patch) and a spam filter on what they made (a token bucket per source,
/// object and type: 25 events, then one per 5 minutes). As in client-go, a filtered event is
/// still counted by the deduplicator.
/// Not thread-safe: the recorder's single writer calls it.
/// </summary>
internal sealed class EventCorrelator
{
    private const string CombinedPrefix = "(combined from similar events): ";

    private readonly EventRecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly LruCache<TokenBucket> _spam;
    private readonly LruCache<(HashSet<string> Messages, DateTimeOffset Last)> _similar;
    private readonly LruCache<Observed> _seen;

    public EventCorrelator(EventRecorderOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _spam = new(options.CacheSize);
        _similar = new(options.CacheSize);
        _seen = new(options.CacheSize);
    }

    /// <summary>Aggregates, deduplicates and filters <paramref name="e"/>.</summary>
    public CorrelatedEvent Correlate(Event e)
    {
        var now = _time.GetUtcNow();
        var (correlated, key) = Aggregate(e, now);
        var patch = Observe(correlated, key, now);
        var spamKey = EventKeys.Spam(correlated);
        var elapsed = _time.GetElapsedTime(0);
        if (!_spam.TryGet(spamKey, out var bucket))
        {
            bucket = new TokenBucket(_options.SpamInterval, _options.SpamBurst, elapsed);
            _spam.Set(spamKey, bucket);
        }

        return bucket.TryTake(elapsed)
            ? new CorrelatedEvent(correlated, patch, Skip: false)
            : new CorrelatedEvent(correlated, null, Skip: true);
    }

    /// <summary>The deduplicator: null for a first sighting (create), else the patch of the event written before.</summary>
    private string? Observe(Event correlated, string key, DateTimeOffset now)
    {
        if (!_seen.TryGet(key, out var last))
        {
            _seen.Set(key, new Observed(correlated.Metadata.Name!, 1, correlated.FirstTimestamp));
            return null;
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
        return patch.ToJsonString();
    }

    private (Event Event, string Key) Aggregate(Event e, DateTimeOffset now)
    {
        var aggregateKey = EventKeys.Aggregate(e);
        // The window restarts at every similar event, as client-go's: only a gap longer than it forgets them.
        if (!_similar.TryGet(aggregateKey, out var similar) || now - similar.Last > _options.SimilarWindow)
        {
            similar = (new HashSet<string>(StringComparer.Ordinal), now);
        }

        similar.Messages.Add(e.Message ?? "");
        _similar.Set(aggregateKey, similar with { Last = now });
        if (similar.Messages.Count < _options.MaxSimilarEvents)
        {
            return (e, EventKeys.Identical(e));
        }

        // Past the threshold the set stops growing (client-go pops one message), so it stays bounded.
        similar.Messages.Remove(similar.Messages.First());

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
