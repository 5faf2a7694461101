using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace KubeProxyFast.Linux.Interop;

/// <summary>
/// A local address a datagram arrived on, as <see cref="PacketInfo"/> reports it: IPv4 or IPv6
/// bytes in network order, or default (<see cref="AddressFamily.Unspecified"/>) when not known.
/// </summary>
public readonly struct LocalAddress
{
    private readonly ulong _high;
    private readonly ulong _low;

    private LocalAddress(ulong high, ulong low, AddressFamily family)
    {
        _high = high;
        _low = low;
        Family = family;
    }

    /// <summary>InterNetwork, InterNetworkV6, or Unspecified when unknown.</summary>
    public AddressFamily Family { get; }

    /// <summary>From the 4 bytes of an <c>in_addr</c>.</summary>
    public static LocalAddress FromIPv4(ReadOnlySpan<byte> address) => new(0, MemoryMarshal.Read<uint>(address), AddressFamily.InterNetwork);

    /// <summary>From the 16 bytes of an <c>in6_addr</c>.</summary>
    public static LocalAddress FromIPv6(ReadOnlySpan<byte> address) =>
        new(MemoryMarshal.Read<ulong>(address), MemoryMarshal.Read<ulong>(address[8..]), AddressFamily.InterNetworkV6);

    /// <summary>Writes the address bytes (4 or 16) as they were read.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (Family == AddressFamily.InterNetwork)
        {
            var v4 = (uint)_low;
            MemoryMarshal.Write(destination, in v4);
        }
        else
        {
            MemoryMarshal.Write(destination, in _high);
            MemoryMarshal.Write(destination[8..], in _low);
        }
    }
}
