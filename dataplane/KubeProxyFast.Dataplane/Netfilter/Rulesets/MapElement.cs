using System.Buffers.Binary;
using System.Net;
using KubeProxyFast.Dataplane.Netfilter.NfTables;
using KubeProxyFast.Dataplane.Snapshot;
using static KubeProxyFast.Dataplane.Netfilter.NfTables.NfTablesConstants;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// One element of one of our maps: the key (an address, or none for a node port, with protocol
/// and port) and what it maps to — a chain to goto, or a proxy port. Value equality lets an
/// incremental sync send only the elements that differ.
/// </summary>
internal readonly record struct MapElement(string Map, IPAddress? Address, L4Protocol Protocol, int Port, string? Chain, int ProxyPort = 0)
{
    /// <summary>Writes every element of <paramref name="elements"/> that belongs to <paramref name="map"/>, added or deleted, in as few messages as fit.</summary>
    public static void Write(NfBatch batch, string map, IReadOnlyList<MapElement> elements, bool delete)
    {
        var writer = NfSetElements.Begin(batch, RulesetNames.Table, map, delete);
        Span<byte> key = stackalloc byte[12];
        Span<byte> value = stackalloc byte[2];
        foreach (var e in elements)
        {
            if (e.Map != map)
            {
                continue;
            }

            var k = e.WriteKey(key);
            if (delete)
            {
                writer.AddKey(k);
            }
            else if (e.Chain is { } chain)
            {
                writer.AddVerdict(k, NFT_GOTO, chain);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)e.ProxyPort);
                writer.AddValue(k, value);
            }
        }

        writer.End();
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
