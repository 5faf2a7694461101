using Google.Protobuf;
using Mvccpb;

namespace KubeProxyFast.Storage.Etcd;

/// <summary>Between the contract's strings and etcd's byte keys.</summary>
internal static class EtcdKeys
{
    /// <summary>The key as etcd stores it (UTF-8).</summary>
    public static ByteString Key(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>
    /// etcd's range_end for "every key starting with <paramref name="prefix"/>": the prefix with its
    /// last byte raised by one (trailing 0xff bytes dropped first); "\0" — every key — when nothing is left.
    /// </summary>
    public static ByteString PrefixEnd(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        var end = bytes.AsSpan().TrimEnd((byte)0xff);
        if (end.IsEmpty)
        {
            return ByteString.CopyFrom(0);
        }

        var copy = end.ToArray();
        copy[^1]++;
        return ByteString.CopyFrom(copy);
    }

    /// <summary>The contract's view of a key-value.</summary>
    public static StoreValue ToStoreValue(KeyValue kv) =>
        new(kv.Key.ToStringUtf8(), kv.Value.Memory, kv.ModRevision, kv.CreateRevision, kv.Lease);
}
