using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Linux.Interop;

namespace KubeProxyFast.Dataplane.Balancing;

/// <summary>
/// A client's IP address as a value: no strings, no <see cref="IPAddress"/> object, equality and
/// hashing without allocation. IPv4 is kept as a host-order <see cref="uint"/>, IPv6 as two
/// host-order <see cref="ulong"/> halves. An IPv4-mapped IPv6 address (<c>::ffff:a.b.c.d</c>, what a
/// dual-stack socket reports for an IPv4 peer) is the IPv4 client: the userspace proxier keyed its
/// affinity map on Go's <c>net.IP.String()</c>, which prints such an address as <c>a.b.c.d</c>.
/// The IPv6 scope id is not part of the identity.
/// </summary>
public readonly struct ClientAddress : IEquatable<ClientAddress>
{
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly AddressFamily _family;

    private ClientAddress(ulong high, ulong low, AddressFamily family)
    {
        _high = high;
        _low = low;
        _family = family;
    }

    /// <summary><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>; <see cref="AddressFamily.Unspecified"/> for <c>default</c>.</summary>
    public AddressFamily Family => _family;

    /// <summary>True for an IPv6 client (not IPv4-mapped).</summary>
    public bool IsIPv6 => _family == AddressFamily.InterNetworkV6;

    /// <summary>An IPv4 client; <paramref name="address"/> in host order (<c>10.0.0.1</c> is <c>0x0A000001</c>).</summary>
    public static ClientAddress FromIPv4(uint address) => new(0, address, AddressFamily.InterNetwork);

    /// <summary>An IPv6 client from its 16 bytes in network order; IPv4-mapped becomes IPv4.</summary>
    public static ClientAddress FromIPv6(ReadOnlySpan<byte> address)
    {
        if (address.Length != 16)
        {
            BalancingThrowHelper.ThrowArgument(nameof(address), "an IPv6 address is 16 bytes");
        }

        return FromIPv6Halves(BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]));
    }

    /// <summary>The client in <paramref name="address"/>; no allocation.</summary>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    public static ClientAddress FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written) || (written != 4 && written != 16))
        {
            BalancingThrowHelper.ThrowArgument(nameof(address), "a client address must be IPv4 or IPv6");
        }

        return written == 4
            ? FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : FromIPv6(bytes);
    }

    /// <summary>
    /// Reads the client from a Linux <c>sockaddr_in</c> or <c>sockaddr_in6</c>, as <c>accept4(2)</c>
    /// and <c>recvmsg(2)</c> fill it in. The span may be the whole <c>sockaddr_storage</c>.
    /// </summary>
    /// <returns>False when the family is neither <c>AF_INET</c> nor <c>AF_INET6</c> or the span is too short.</returns>
    public static bool TryFromSocketAddress(ReadOnlySpan<byte> sockaddr, out ClientAddress client)
    {
        switch (SocketAddressLayout.ReadFamily(sockaddr))
        {
            case SocketAddressLayout.AF_INET when sockaddr.Length >= SocketAddressLayout.SinAddrOffset + 4:
                client = FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(sockaddr[SocketAddressLayout.SinAddrOffset..]));
                return true;
            case SocketAddressLayout.AF_INET6 when sockaddr.Length >= SocketAddressLayout.Sin6AddrOffset + 16:
                client = FromIPv6(sockaddr.Slice(SocketAddressLayout.Sin6AddrOffset, 16));
                return true;
            default:
                client = default;
                return false;
        }
    }

    /// <summary>Like <see cref="TryFromSocketAddress"/>, throwing for anything but an IPv4 or IPv6 sockaddr.</summary>
    /// <exception cref="ArgumentException">The sockaddr is not AF_INET or AF_INET6, or is truncated.</exception>
    public static ClientAddress FromSocketAddress(ReadOnlySpan<byte> sockaddr)
    {
        if (!TryFromSocketAddress(sockaddr, out var client))
        {
            BalancingThrowHelper.ThrowArgument(nameof(sockaddr), "not a complete AF_INET or AF_INET6 sockaddr");
        }

        return client;
    }

    /// <summary>The address as an <see cref="IPAddress"/>; allocates, so for logs and tests only.</summary>
    public IPAddress ToIPAddress()
    {
        if (_family == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)_low);
            return new IPAddress(v4);
        }

        if (_family == AddressFamily.InterNetworkV6)
        {
            Span<byte> v6 = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(v6, _high);
            BinaryPrimitives.WriteUInt64BigEndian(v6[8..], _low);
            return new IPAddress(v6);
        }

        return IPAddress.None;
    }

    /// <inheritdoc/>
    public bool Equals(ClientAddress other) => _low == other._low && _high == other._high && _family == other._family;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ClientAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_high, _low, _family);

    /// <inheritdoc/>
    public override string ToString() => ToIPAddress().ToString();

    /// <summary>True when both are the same client.</summary>
    public static bool operator ==(ClientAddress left, ClientAddress right) => left.Equals(right);

    /// <summary>True when they are different clients.</summary>
    public static bool operator !=(ClientAddress left, ClientAddress right) => !left.Equals(right);

    /// <summary>
    /// A 64-bit hash keyed by <paramref name="seed"/>, for the affinity table's open addressing. Each
    /// half goes through MurmurHash3's fmix64 finaliser after mixing in the secret seed, so a client
    /// that picks its own addresses (any IPv6 host owns a /64) cannot aim them at one probe chain
    /// without knowing the seed. Not a MAC: good enough for a bounded table with sampled eviction.
    /// </summary>
    internal ulong Hash(ulong seed) => Mix(Mix(seed ^ _low) ^ _high ^ (ulong)_family);

    private static ClientAddress FromIPv6Halves(ulong high, ulong low)
    {
        // ::ffff:0:0/96 is the IPv4-mapped range (RFC 4291 §2.5.5.2).
        return high == 0 && (low >> 32) == 0xFFFF
            ? FromIPv4((uint)low)
            : new ClientAddress(high, low, AddressFamily.InterNetworkV6);
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        x ^= x >> 33;
        return x;
    }
}
