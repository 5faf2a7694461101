using KubeProxyFast.Storage.Embedded.Log;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Storage.Embedded;

/// <summary>How an <see cref="EmbeddedStore"/> keeps its data.</summary>
public sealed record EmbeddedStoreOptions
{
    /// <summary>etcd's default <c>--max-request-bytes</c>: 1.5 MiB.</summary>
    public const int DefaultMaxRequestBytes = 1536 * 1024;

    /// <summary>
    /// The largest <see cref="MaxRequestBytes"/> allowed: half the 64 MiB frame the log's reader
    /// accepts, so every record the store may write — and the snapshot frame of any value in
    /// it, which adds 20 bytes — is one that recovery reads back.
    /// </summary>
    public const int MaxRequestBytesCeiling = 32 << 20;

    /// <summary>Where the write-ahead log and snapshots live; null keeps everything in memory only (for tests).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// How many revisions of history are kept for watches and old reads before the oldest are
    /// compacted automatically (besides <see cref="IStore.CompactAsync"/>). A watch that falls
    /// further behind than this ends with <see cref="StoreCompactedException"/>.
    /// </summary>
    public int HistoryRevisions { get; init; } = 10_000;

    /// <summary>A snapshot is written, and the log restarted, once the log segment grows past this (and holds a record). At least 1.</summary>
    public long SnapshotAfterBytes { get; init; } = 64L << 20;

    /// <summary>
    /// The largest transaction accepted, in bytes of its log record (its keys and values plus 9
    /// bytes per operation and 4 per record), as etcd's <c>--max-request-bytes</c> (1.5 MiB
    /// by default, as etcd's). A larger commit fails with
    /// <see cref="StoreRequestTooLargeException"/> before anything is written. At most
    /// <see cref="MaxRequestBytesCeiling"/>.
    /// </summary>
    public int MaxRequestBytes { get; init; } = DefaultMaxRequestBytes;

    /// <summary>
    /// When opening finds the write-ahead log damaged (a <see cref="StoreCorruptionException"/>
    /// with <c>Repairable</c>), keep a copy of the damaged segment as
    /// <c>&lt;segment&gt;.&lt;UTC time&gt;.corrupt</c>, cut the log at its last good record and
    /// open, logging what was dropped, instead of refusing to open (<c>kpf server --repair</c>).
    /// </summary>
    public bool Repair { get; init; }

    /// <summary>The clock of leases (their expiry is checked every half second, as etcd's lessor does); tests pass a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where recovery reports what it dropped: a write cut short by a crash, or what a repair cut off.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>How files are made durable; tests inject a slow or failing fsync here.</summary>
    internal IFileSync Sync { get; init; } = FileSync.Instance;
}
