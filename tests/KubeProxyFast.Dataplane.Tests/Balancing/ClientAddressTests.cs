using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Dataplane.Balancing;

namespace KubeProxyFast.Dataplane.Tests.Balancing;

public class ClientAddressTests
{
    [Fact]
    public void FromSocketAddress_SockaddrIn_ReadsIPv4()
    {
        var client = ClientAddress.FromSocketAddress(SockaddrIn(198, 18, 2, 3, port: 51234));

        Assert.Equal(AddressFamily.InterNetwork, client.Family);
        Assert.False(client.IsIPv6);
        Assert.Equal(IPAddress.Parse("198.18.2.3"), client.ToIPAddress());
        Assert.Equal(ClientAddress.FromIPv4(0xC6120203), client);
    }

    [Fact]
    public void FromSocketAddress_SockaddrIn6_ReadsIPv6()
    {
        var address = IPAddress.Parse("2001:db8::42:1");

        var client = ClientAddress.FromSocketAddress(SockaddrIn6(address));

        Assert.Equal(AddressFamily.InterNetworkV6, client.Family);
        Assert.True(client.IsIPv6);
        Assert.Equal(address, client.ToIPAddress());
    }

    [Fact]
    public void FromSocketAddress_SockaddrStorageSizedBuffer_ReadsAddress()
    {
        // accept4 fills a 128-byte sockaddr_storage; the caller may pass all of it.
        var storage = new byte[128];
        SockaddrIn(198, 19, 7, 9, port: 1).CopyTo(storage, 0);

        Assert.Equal(IPAddress.Parse("198.19.7.9"), ClientAddress.FromSocketAddress(storage).ToIPAddress());
    }

    [Fact]
    public void FromSocketAddress_IPv4MappedIPv6_EqualsIPv4Client()
    {
        // What a dual-stack (IPV6_V6ONLY=0) listener reports for an IPv4 peer.
        var mapped = ClientAddress.FromSocketAddress(SockaddrIn6(IPAddress.Parse("::ffff:198.18.2.3")));
        var v4 = ClientAddress.FromSocketAddress(SockaddrIn(198, 18, 2, 3, port: 80));

        Assert.Equal(v4, mapped);
        Assert.Equal(v4.GetHashCode(), mapped.GetHashCode());
        Assert.Equal(AddressFamily.InterNetwork, mapped.Family);
    }

    [Fact]
    public void Equals_IPv4AndIPv6WithSameLowBits_AreDifferentClients()
    {
        // ::198.18.2.3 (the deprecated IPv4-compatible form) is an IPv6 address, not 198.18.2.3.
        var v6 = ClientAddress.FromIPAddress(IPAddress.Parse("::198.18.2.3"));
        var v4 = ClientAddress.FromIPAddress(IPAddress.Parse("198.18.2.3"));

        Assert.NotEqual(v4, v6);
        Assert.True(v4 != v6);
        Assert.True(v6.IsIPv6);
    }

    [Theory]
    [InlineData("198.18.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("fd00::1")]
    [InlineData("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void FromIPAddress_SameAddressAsSocketAddress_EqualAndRoundTrips(string text)
    {
        var address = IPAddress.Parse(text);
        var sockaddr = address.AddressFamily == AddressFamily.InterNetwork
            ? SockaddrIn(address.GetAddressBytes(), 80)
            : SockaddrIn6(address);

        var fromIP = ClientAddress.FromIPAddress(address);
        var fromSockaddr = ClientAddress.FromSocketAddress(sockaddr);

        Assert.Equal(fromIP, fromSockaddr);
        Assert.True(fromIP == fromSockaddr);
        Assert.Equal(fromIP.GetHashCode(), fromSockaddr.GetHashCode());
        Assert.Equal(address, fromIP.ToIPAddress());
        Assert.Equal(text, fromIP.ToString());
    }

    [Fact]
    public void Equals_DifferentAddresses_NotEqual()
    {
        var a = ClientAddress.FromIPAddress(IPAddress.Parse("2001:db8::1"));
        var b = ClientAddress.FromIPAddress(IPAddress.Parse("2001:db9::1")); // differs in the high half

        Assert.NotEqual(a, b);
        Assert.NotEqual(ClientAddress.FromIPv4(1), ClientAddress.FromIPv4(2));
        Assert.False(a.Equals((object)b));
    }

    [Fact]
    public void Hash_SameSeed_EqualForEqualClientsAndSpreadsNeighbours()
    {
        const ulong Seed = 12345;
        var a = ClientAddress.FromIPAddress(IPAddress.Parse("198.18.0.1"));
        var b = ClientAddress.FromSocketAddress(SockaddrIn(198, 18, 0, 1, port: 9));
        Assert.Equal(a.Hash(Seed), b.Hash(Seed));

        // 4096 consecutive client addresses over 4096 buckets: a good mixer leaves about 1/e of the
        // buckets empty (1507 expected, σ ≈ 24); an identity-like hash fills every bucket exactly once.
        var used = new bool[4096];
        for (uint i = 0; i < 4096; i++)
        {
            used[ClientAddress.FromIPv4(0xC6120000 + i).Hash(Seed) & 4095] = true;
        }

        Assert.InRange(used.Count(u => !u), 1350, 1650);
        Assert.NotEqual(a.Hash(Seed), a.Hash(Seed + 1));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 2 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 })] // AF_UNIX
    public void TryFromSocketAddress_NotInetOrTruncated_ReturnsFalse(byte[] sockaddr)
    {
        Assert.False(ClientAddress.TryFromSocketAddress(sockaddr, out var client));
        Assert.Equal(default, client);
        Assert.Throws<ArgumentException>(() => ClientAddress.FromSocketAddress(sockaddr));
    }

    [Fact]
    public void TryFromSocketAddress_TruncatedIn6_ReturnsFalse()
    {
        var sockaddr = SockaddrIn6(IPAddress.Parse("fd00::1"));

        Assert.False(ClientAddress.TryFromSocketAddress(sockaddr.AsSpan(0, 20), out _));
        Assert.True(ClientAddress.TryFromSocketAddress(sockaddr.AsSpan(0, 24), out _));
    }

    [Fact]
    public void Default_IsUnspecified()
    {
        Assert.Equal(AddressFamily.Unspecified, default(ClientAddress).Family);
        Assert.NotEqual(default, ClientAddress.FromIPv4(0));
    }

    private static byte[] SockaddrIn(byte a, byte b, byte c, byte d, int port) => SockaddrIn([a, b, c, d], port);

    private static byte[] SockaddrIn(byte[] address, int port)
    {
        // Built independently of the product code: family in host order, port big-endian.
        var bytes = new byte[16];
        BitConverter.GetBytes((ushort)2).CopyTo(bytes, 0);
        bytes[2] = (byte)(port >> 8);
        bytes[3] = (byte)port;
        address.CopyTo(bytes, 4);
        return bytes;
    }

    private static byte[] SockaddrIn6(IPAddress address)
    {
        var bytes = new byte[28];
        BitConverter.GetBytes((ushort)10).CopyTo(bytes, 0);
        bytes[2] = 0x1F;
        bytes[3] = 0x90;
        address.GetAddressBytes().CopyTo(bytes, 8);
        return bytes;
    }
}
