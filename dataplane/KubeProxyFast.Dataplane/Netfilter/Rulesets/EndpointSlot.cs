using System.Buffers.Binary;
using System.Net;
using KubeProxyFast.Linux.Netlink.NfTables;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// Slot <see cref="Index"/> of a service port in <see cref="RulesetNames.EndpointMap"/> (keyed by
/// the address and port the traffic was sent to) or <see cref="RulesetNames.NodePortEndpointMap"/>
/// (keyed by node port; <see cref="Address"/> null): the endpoint that numgen's value
/// <see cref="Index"/> picks.
/// </summary>
internal readonly record struct EndpointSlot(string Map, IPAddress? Address, int Port, int Index, IPEndPoint Endpoint) : IMapEntry
{
    /// <inheritdoc/>
    public void AddTo(ref NfSetElements elements, ReadOnlySpan<byte> key)
    {
        // ip . port, the port padded to 4 bytes as in a concatenation.
        Span<byte> value = stackalloc byte[8];
        value.Clear();
        _ = Endpoint.Address.TryWriteBytes(value, out _);
        BinaryPrimitives.WriteUInt16BigEndian(value[4..], (ushort)Endpoint.Port);
        elements.AddValue(key, value);
    }

    /// <summary>[address .] port . slot, each field padded to 4 bytes; the slot host-order, as numgen writes it.</summary>
    public ReadOnlySpan<byte> WriteKey(Span<byte> buffer)
    {
        buffer.Clear();
        var offset = 0;
        if (Address is { } address)
        {
            _ = address.TryWriteBytes(buffer, out _);
            offset = 4;
        }

        BinaryPrimitives.WriteUInt16BigEndian(buffer[offset..], (ushort)Port);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[(offset + 4)..], (uint)Index);
        return buffer[..(offset + 8)];
    }
}
