namespace KubeProxyFast.Storage.Embedded;

/// <summary>How an <see cref="EmbeddedStore"/> keeps its data.</summary>
public sealed record EmbeddedStoreOptions
{
    /// <summary>Where the write-ahead log and snapshots live; null keeps everything in memory only (for tests).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// How many revisions of history are kept for watches and old reads before the oldest are
    /// compacted automatically (besides <see cref="IStore.CompactAsync"/>). A watch that falls
    /// further behind than this ends with <see cref="StoreCompactedException"/>.
    /// </summary>
    public int HistoryRevisions { get; init; } = 10_000;

    /// <summary>A snapshot is written, and the log restarted, once the log segment grows past this.</summary>
    public long SnapshotAfterBytes { get; init; } = 64L << 20;
}
