using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace KubeProxyFast.Dataplane.Interop;

/// <summary>
/// struct sockaddr_in / sockaddr_in6 as the kernel lays them out (family in host order, port in
/// network order), written into caller-provided memory so socket calls need no allocation.
/// </summary>
internal static class SockAddr
{
    /// <summary>Large enough for sockaddr_in6 (28 bytes), rounded up.</summary>
    public const int MaxLength = 32;

    private const ushort AF_INET = 2;
    private const ushort AF_INET6 = 10;

    /// <summary>Writes <paramref name="endPoint"/> into <paramref name="destination"/>; returns the length used.</summary>
    public static int Write(IPEndPoint endPoint, Span<byte> destination)
    {
        destination[..MaxLength].Clear();
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, AF_INET);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)endPoint.Port);
            endPoint.Address.TryWriteBytes(destination[4..8], out _);
            return 16;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(destination, AF_INET6);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)endPoint.Port);
        endPoint.Address.TryWriteBytes(destination[8..24], out _);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)endPoint.Address.ScopeId);
        return 28;
    }

    /// <summary>Reads the endpoint a sockaddr describes (for logs and tests; allocates).</summary>
    public static IPEndPoint Read(ReadOnlySpan<byte> source)
    {
        var family = BinaryPrimitives.ReadUInt16LittleEndian(source);
        var port = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        return family == AF_INET
            ? new IPEndPoint(new IPAddress(source[4..8]), port)
            : new IPEndPoint(new IPAddress(source[8..24]), port);
    }

    /// <summary>The port of a sockaddr, without allocating.</summary>
    public static int Port(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
}
