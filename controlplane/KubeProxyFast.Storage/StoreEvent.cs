namespace KubeProxyFast.Storage;

/// <summary>What happened to a key.</summary>
public enum StoreEventType
{
    /// <summary>The key was created.</summary>
    Created,
    /// <summary>An existing key got a new value.</summary>
    Updated,
    /// <summary>The key was deleted.</summary>
    Deleted,
}

/// <summary>One change seen by a watch.</summary>
/// <param name="Type">Created, updated or deleted.</param>
/// <param name="Key">The key.</param>
/// <param name="Value">The new value; for a delete, the last value the key held.</param>
/// <param name="Revision">The revision of the transaction that made the change (for a delete, the delete's revision).</param>
/// <param name="Previous">
/// The value before the change: empty for a create, the last value for a delete (as
/// <paramref name="Value"/>). Watches with selectors need it to tell an object that stopped
/// matching (answered as DELETED) from one that never matched.
/// </param>
public sealed record StoreEvent(StoreEventType Type, string Key, ReadOnlyMemory<byte> Value, long Revision, ReadOnlyMemory<byte> Previous = default);
