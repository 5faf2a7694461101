using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace KubeProxyFast.Linux.Interop;

/// <summary>
/// The Linux layouts of <c>struct sockaddr_in</c> and <c>struct sockaddr_in6</c>
/// (<c>include/uapi/linux/in.h</c>, <c>in6.h</c>): <c>sa_family</c> is a host-order u16, the port a
/// network-order u16, addresses in network order, <c>sin6_scope_id</c> a host-order u32.
/// </summary>
public static class SocketAddressLayout
{
    /// <summary><c>AF_INET</c> on Linux.</summary>
    public const ushort AF_INET = 2;

    /// <summary><c>AF_INET6</c> on Linux (it is 30 on macOS and 23 on Windows; we only run on Linux).</summary>
    public const ushort AF_INET6 = 10;

    /// <summary><c>sizeof(struct sockaddr_in)</c>: family, port, address, 8 bytes of zero padding.</summary>
    public const int SizeOfSockaddrIn = 16;

    /// <summary><c>sizeof(struct sockaddr_in6)</c>: family, port, flow info, address, scope id.</summary>
    public const int SizeOfSockaddrIn6 = 28;

    /// <summary>Offset of <c>sin_addr</c> in <c>sockaddr_in</c>.</summary>
    public const int SinAddrOffset = 4;

    /// <summary>Offset of <c>sin6_addr</c> in <c>sockaddr_in6</c>.</summary>
    public const int Sin6AddrOffset = 8;

    /// <summary>Offset of <c>sin6_scope_id</c> in <c>sockaddr_in6</c>.</summary>
    public const int Sin6ScopeIdOffset = 24;

    /// <summary>Room for either layout, for accept(2)/recvfrom(2) buffers.</summary>
    public const int MaxLength = 32;

    /// <summary>Reads the port (network order) of either layout, without allocating.</summary>
    public static int ReadPort(ReadOnlySpan<byte> sockaddr) => BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]);

    /// <summary>Reads <c>sa_family</c>, or returns 0 when the buffer cannot hold one.</summary>
    public static ushort ReadFamily(ReadOnlySpan<byte> sockaddr) =>
        sockaddr.Length >= sizeof(ushort) ? MemoryMarshal.Read<ushort>(sockaddr) : (ushort)0;

    /// <summary>Encodes <paramref name="endPoint"/> as the sockaddr that <c>connect(2)</c> takes.</summary>
    public static byte[] Encode(IPEndPoint endPoint)
    {
        var address = endPoint.Address;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = new byte[SizeOfSockaddrIn];
            var family = AF_INET;
            MemoryMarshal.Write(bytes, in family);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)endPoint.Port);
            _ = address.TryWriteBytes(bytes.AsSpan(SinAddrOffset, 4), out _);
            return bytes;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // sin6_flowinfo (offset 4) stays zero, as a plain connect(2) sends it.
            var bytes = new byte[SizeOfSockaddrIn6];
            var family = AF_INET6;
            MemoryMarshal.Write(bytes, in family);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)endPoint.Port);
            _ = address.TryWriteBytes(bytes.AsSpan(Sin6AddrOffset, 16), out _);
            var scope = (uint)address.ScopeId;
            MemoryMarshal.Write(bytes.AsSpan(Sin6ScopeIdOffset), in scope);
            return bytes;
        }

        throw new ArgumentException("an endpoint must be an IPv4 or IPv6 address", nameof(endPoint));
    }
}
