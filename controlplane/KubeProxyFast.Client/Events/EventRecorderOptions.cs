namespace KubeProxyFast.Client.Events;

/// <summary>The recorder's limits, client-go's defaults (tools/record).</summary>
public sealed record EventRecorderOptions
{
    /// <summary>Events waiting to be written; more are dropped, never waited for (client-go's 1,000).</summary>
    public int QueueLength { get; init; } = 1000;

    /// <summary>Attempts to write one event before it is dropped (client-go's 12).</summary>
    public int MaxAttempts { get; init; } = 12;

    /// <summary>The wait between attempts (client-go's 10 s; the first one is randomised up to it).</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Events a source may report about one object at once (client-go's spam filter: 25).</summary>
    public int SpamBurst { get; init; } = 25;

    /// <summary>After the burst, one more event per this interval (client-go's 1/300 qps: 5 minutes).</summary>
    public TimeSpan SpamInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Events that differ only in message, within <see cref="SimilarWindow"/>, from which on they are combined into one (client-go's 10).</summary>
    public int MaxSimilarEvents { get; init; } = 10;

    /// <summary>How long similar events are counted together (client-go's 600 s).</summary>
    public TimeSpan SimilarWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Keys each of the correlator's caches remembers (client-go's 4,096, least recently used forgotten).</summary>
    public int CacheSize { get; init; } = 4096;
}
