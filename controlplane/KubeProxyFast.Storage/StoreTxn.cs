namespace KubeProxyFast.Storage;

/// <summary>
/// A condition on one key: it holds when the key's mod revision equals
/// <see cref="ModRevision"/>, where 0 means "the key is absent".
/// </summary>
/// <param name="Key">The key.</param>
/// <param name="ModRevision">The required mod revision; 0 for absent.</param>
public sealed record StoreCondition(string Key, long ModRevision)
{
    /// <summary>The key must not exist (create-if-absent).</summary>
    public static StoreCondition Absent(string key) => new(key, 0);
}

/// <summary>What a transaction does when its conditions hold.</summary>
public abstract record StoreOperation(string Key);

/// <summary>Write <see cref="Value"/> at the key.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The bytes to store.</param>
/// <param name="Lease">
/// A lease from <see cref="IStore.GrantLeaseAsync"/> that the key is attached to (it is deleted
/// when the lease expires), or 0 for none; a put detaches the key from any lease it had before.
/// </param>
public sealed record StorePut(string Key, ReadOnlyMemory<byte> Value, long Lease = 0) : StoreOperation(Key);

/// <summary>Delete the key (nothing happens when it is absent).</summary>
/// <param name="Key">The key.</param>
public sealed record StoreDelete(string Key) : StoreOperation(Key);

/// <summary>Conditions that must all hold, and the operations then committed under one revision.</summary>
/// <param name="Conditions">Compared first; none means unconditional.</param>
/// <param name="Operations">Applied in order; a key may appear at most once.</param>
public sealed record StoreTxn(IReadOnlyList<StoreCondition> Conditions, IReadOnlyList<StoreOperation> Operations);

/// <summary>The outcome of <see cref="IStore.CommitAsync"/>.</summary>
/// <param name="Succeeded">True when every condition held and the operations were committed.</param>
/// <param name="Revision">The new revision on success; the current store revision otherwise.</param>
/// <param name="Current">
/// On failure, the current value of each condition's key, in the order of the conditions (null
/// where the key is absent); empty on success.
/// </param>
public sealed record StoreTxnResult(bool Succeeded, long Revision, IReadOnlyList<StoreValue?> Current);
