namespace KubeProxyFast.Storage;

/// <summary>Base of the store's failures.</summary>
public abstract class StoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected StoreException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>
/// The store cannot be reached or did not answer in time (the apiserver answers 503). When
/// <see cref="OutcomeUnknown"/> is true a write may or may not have been committed.
/// </summary>
public sealed class StoreUnavailableException : StoreException
{
    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException(string message, bool outcomeUnknown = false, Exception? inner = null)
        : base(message, inner)
    {
        OutcomeUnknown = outcomeUnknown;
    }

    /// <summary>True when a write was sent but its result was lost.</summary>
    public bool OutcomeUnknown { get; }
}

/// <summary>A read or watch at a revision older than the compacted history (the apiserver answers 410 Gone).</summary>
public sealed class StoreCompactedException : StoreException
{
    /// <summary>Creates the exception.</summary>
    public StoreCompactedException(long requestedRevision, long compactedRevision, Exception? inner = null)
        : base($"revision {requestedRevision} has been compacted; the oldest revision still held is {compactedRevision}", inner)
    {
        RequestedRevision = requestedRevision;
        CompactedRevision = compactedRevision;
    }

    /// <summary>The revision that was asked for.</summary>
    public long RequestedRevision { get; }

    /// <summary>The store's compaction point.</summary>
    public long CompactedRevision { get; }
}

/// <summary>
/// A transaction larger than the store accepts, refused before anything was written (etcd's
/// "etcdserver: request is too large"; the apiserver answers 413). Nothing was committed.
/// </summary>
public sealed class StoreRequestTooLargeException : StoreException
{
    /// <summary>Creates the exception.</summary>
    public StoreRequestTooLargeException(string message, long? limit = null, Exception? inner = null)
        : base(message, inner)
    {
        Limit = limit;
    }

    /// <summary>The store's limit in bytes, when the store reports it (etcd's answer does not).</summary>
    public long? Limit { get; }
}

/// <summary>
/// The embedded store's files hold damage that recovery must not paper over: a record that
/// was acknowledged does not read back. The store does not open; the message names the file and
/// the byte offset. When <see cref="Repairable"/>, opening with
/// <c>EmbeddedStoreOptions.Repair</c> (<c>kpf server --repair</c>) keeps a copy of the file and
/// cuts the log at <see cref="Offset"/>, dropping what follows.
/// </summary>
public sealed class StoreCorruptionException : StoreException
{
    /// <summary>Creates the exception.</summary>
    public StoreCorruptionException(string filePath, long offset, string problem, bool repairable, Exception? inner = null)
        : base($"{filePath} is damaged at byte offset {offset}: {problem}", inner)
    {
        FilePath = filePath;
        Offset = offset;
        Repairable = repairable;
    }

    /// <summary>The damaged file.</summary>
    public string FilePath { get; }

    /// <summary>Where in it the first bad byte range starts (the start of the record that does not verify).</summary>
    public long Offset { get; }

    /// <summary>True for damage in the write-ahead log, which a repair can cut off; false for a snapshot or a file of another format.</summary>
    public bool Repairable { get; }
}
