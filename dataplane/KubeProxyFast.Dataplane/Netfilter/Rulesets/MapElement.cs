using System.Buffers.Binary;
using System.Net;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Netlink.NfTables;
using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// One element of one of our maps: the key (an address, or none for a node port, with protocol
/// and port) and what it maps to — a chain to goto, or a proxy port. Value equality lets an
/// incremental sync send only the elements that differ.
/// </summary>
internal readonly record struct MapElement(string Map, IPAddress? Address, L4Protocol Protocol, int Port, string? Chain, int ProxyPort = 0) : IMapEntry
{
    /// <inheritdoc/>
    public void AddTo(ref NfSetElements elements, ReadOnlySpan<byte> key)
    {
        if (Chain is { } chain)
        {
            elements.AddVerdict(key, NFT_GOTO, chain);
            return;
        }

        Span<byte> value = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)ProxyPort);
        elements.AddValue(key, value);
    }

    /// <summary>
    /// The key as the kernel compares it: each field of the concatenation padded to 4 bytes —
    /// address (network order), protocol number, port (network order).
    /// </summary>
    public ReadOnlySpan<byte> WriteKey(Span<byte> buffer)
    {
        buffer.Clear();
        var offset = 0;
        if (Address is { } address)
        {
            _ = address.TryWriteBytes(buffer, out _);
            offset = 4;
        }

        buffer[offset] = Protocol == L4Protocol.Tcp ? IPPROTO_TCP : IPPROTO_UDP;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(offset + 4)..], (ushort)Port);
        return buffer[..(offset + 8)];
    }
}
