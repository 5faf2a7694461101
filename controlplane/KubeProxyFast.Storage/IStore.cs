namespace KubeProxyFast.Storage;

/// <summary>
/// The store contract of the apiserver — etcd's model: a flat, ordered key space of byte values,
/// one global revision that every committed transaction raises by one, each key's value tagged
/// with the revision that last modified it (its <c>resourceVersion</c>), conditional
/// transactions, and watches that replay history from a revision until it is compacted.
/// Two implementations pass one contract test suite: <c>Etcd.EtcdStore</c> and
/// <c>Embedded.EmbeddedStore</c>. See README.md in this folder for the rules.
/// </summary>
public interface IStore : IAsyncDisposable
{
    /// <summary>The current value of <paramref name="key"/>, or null when it is absent.</summary>
    /// <exception cref="StoreUnavailableException">The store cannot be reached.</exception>
    Task<StoreValue?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keys that start with <paramref name="prefix"/>, in key order, with the store revision at
    /// which they were read (the list's resourceVersion; a watch may start from it).
    /// </summary>
    /// <exception cref="StoreCompactedException">A read at an old revision that was compacted away.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A read at a revision the store has not reached.</exception>
    /// <exception cref="StoreUnavailableException">The store cannot be reached.</exception>
    Task<StoreList> ListAsync(string prefix, StoreListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits <see cref="StoreTxn.Operations"/> atomically, under one new revision, when every
    /// condition holds; otherwise changes nothing and reports the current value of each
    /// condition's key so the caller can tell "already exists" from "conflict" from "not found".
    /// </summary>
    /// <exception cref="StoreUnavailableException">The store cannot be reached; nothing was committed, or the outcome is unknown (the message says which).</exception>
    /// <exception cref="ArgumentException">A key appears in more than one operation, or a put names a lease that does not exist (any more).</exception>
    /// <exception cref="StoreRequestTooLargeException">
    /// The transaction is larger than the store accepts (etcd's <c>--max-request-bytes</c>, 1.5 MiB
    /// by default; the embedded store's <c>MaxRequestBytes</c>, the same by default); nothing was committed.
    /// </exception>
    Task<StoreTxnResult> CommitAsync(StoreTxn txn, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes to keys under <paramref name="prefix"/> with a revision greater than
    /// <paramref name="afterRevision"/>, in revision order, first the history and then live
    /// changes, until cancelled. A transaction that touches several watched keys yields one event
    /// per key, all with the same revision.
    /// </summary>
    /// <exception cref="StoreCompactedException">
    /// Thrown from the enumeration when <paramref name="afterRevision"/> is older than the
    /// compacted history (the apiserver answers 410 Gone).
    /// </exception>
    /// <exception cref="StoreUnavailableException">
    /// Thrown from the enumeration when the store is lost; a watch is never resumed silently, the
    /// caller watches again from the last revision it saw.
    /// </exception>
    /// <remarks>Cancelling <paramref name="cancellationToken"/> ends the enumeration without an exception.</remarks>
    IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken = default);

    /// <summary>
    /// Grants a lease of <paramref name="ttl"/> (whole seconds, rounded up; etcd may raise it to its
    /// minimum): once it expires, every key still attached to it (<see cref="StorePut.Lease"/>) is
    /// deleted in one transaction, and watches see the deletes. A lease outlives a restart of the
    /// store with its whole time to live again, as etcd's leases do.
    /// </summary>
    /// <returns>The lease's id, never 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The time to live is not positive.</exception>
    /// <exception cref="StoreUnavailableException">The store cannot be reached.</exception>
    Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>
    /// Discards history older than <paramref name="revision"/>: later reads and watches at older
    /// revisions get <see cref="StoreCompactedException"/>. Current values are kept. Compacting at
    /// a revision already compacted is a no-op.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The revision is in the future.</exception>
    Task CompactAsync(long revision, CancellationToken cancellationToken = default);
}
