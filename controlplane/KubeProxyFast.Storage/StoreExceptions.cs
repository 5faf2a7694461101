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
