using static KubeProxyFast.Linux.Netlink.NetlinkConstants;
using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Linux.Netlink.NfTables;

/// <summary>The shape of a set or map: key type and length, and for a map its data.</summary>
/// <param name="Flags">NFT_SET_* flags.</param>
/// <param name="KeyType">nft's data type of the key (concatenations: 6 bits per field).</param>
/// <param name="KeyLength">Key bytes (each field of a concatenation padded to 4).</param>
/// <param name="DataType">For a map: <see cref="NfTablesConstants.NFT_DATA_VERDICT"/> or a value type.</param>
/// <param name="DataLength">For a map of values: their length; 0 for verdicts.</param>
public readonly record struct NfSetShape(uint Flags, uint KeyType, uint KeyLength, uint? DataType = null, uint DataLength = 0)
{
    /// <summary><c>type ipv4_addr . inet_proto . inet_service</c>: what a service is reached by.</summary>
    public static uint AddressProtocolPort => (((TYPE_IPADDR << TYPE_BITS) | TYPE_INET_PROTOCOL) << TYPE_BITS) | TYPE_INET_SERVICE;

    /// <summary><c>type inet_proto . inet_service</c>: a node port.</summary>
    public static uint ProtocolPort => (TYPE_INET_PROTOCOL << TYPE_BITS) | TYPE_INET_SERVICE;
}

/// <summary>Set messages: named sets and maps, and their deletion.</summary>
public static class NfSet
{
    /// <summary>
    /// Adds a set. <paramref name="id"/> names it within the transaction (as nft sends it);
    /// <paramref name="timeout"/> is the default element
    /// timeout; <paramref name="size"/> bounds a dynamic set.
    /// </summary>
    /// <paramref name="userdata"/> is opaque to the kernel: nft's own description of the set (its
    /// <c>typeof</c>), which nft needs to print keys it cannot infer from the key type.
    public static void Add(NfBatch batch, string table, string name, NfSetShape shape, uint id, TimeSpan? timeout = null, uint? size = null, ReadOnlySpan<byte> userdata = default)
    {
        var w = batch.Writer;
        var m = batch.Begin(NFT_MSG_NEWSET, NLM_F_CREATE, NfOperation.AddSet, table, name);
        w.PutString(NFTA_SET_TABLE, table);
        w.PutString(NFTA_SET_NAME, name);
        w.PutU32(NFTA_SET_FLAGS, shape.Flags);
        w.PutU32(NFTA_SET_KEY_TYPE, shape.KeyType);
        w.PutU32(NFTA_SET_KEY_LEN, shape.KeyLength);
        if (shape.DataType is { } dataType)
        {
            w.PutU32(NFTA_SET_DATA_TYPE, dataType);
            w.PutU32(NFTA_SET_DATA_LEN, shape.DataLength);
        }

        w.PutU32(NFTA_SET_ID, id);
        if (size is { } s)
        {
            var d = w.BeginNested(NFTA_SET_DESC);
            w.PutU32(NFTA_SET_DESC_SIZE, s);
            w.EndNested(d);
        }

        if (timeout is { } t)
        {
            w.PutU64(NFTA_SET_TIMEOUT, (ulong)t.TotalMilliseconds);
        }

        if (!userdata.IsEmpty)
        {
            w.PutBytes(NFTA_SET_USERDATA, userdata);
        }

        batch.End(m);
    }

    /// <summary>Deletes a set that no rule refers to any more.</summary>
    public static void Delete(NfBatch batch, string table, string name)
    {
        var m = batch.Begin(NFT_MSG_DELSET, 0, NfOperation.DeleteSet, table, name);
        batch.Writer.PutString(NFTA_SET_TABLE, table);
        batch.Writer.PutString(NFTA_SET_NAME, name);
        batch.End(m);
    }
}
