namespace KubeProxyFast.Storage;

/// <summary>One key's value as the store holds it.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The stored bytes (an object's v1 JSON).</param>
/// <param name="ModRevision">Revision of the transaction that last wrote the key: the object's resourceVersion.</param>
/// <param name="CreateRevision">Revision of the transaction that created the key.</param>
/// <param name="Lease">The lease the key is attached to, or 0.</param>
public sealed record StoreValue(string Key, ReadOnlyMemory<byte> Value, long ModRevision, long CreateRevision, long Lease = 0);
