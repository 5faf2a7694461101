
namespace KubeProxyFast.Dataplane.Tests.Balancing;

public class BackendEndpointTests
{
    private static readonly byte[] FamilyInet = BitConverter.IsLittleEndian ? [2, 0] : [0, 2];
    private static readonly byte[] FamilyInet6 = BitConverter.IsLittleEndian ? [10, 0] : [0, 10];

    [Fact]
    public void SocketAddress_IPv4_IsSockaddrIn()
    {
        var endpoint = TestEndpoints.Set("198.18.2.3:8080")[0];

        // struct sockaddr_in { sa_family_t sin_family; in_port_t sin_port; struct in_addr sin_addr; char sin_zero[8]; }
        byte[] expected = [.. FamilyInet, 0x1F, 0x90, 198, 18, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(expected, endpoint.SocketAddress.ToArray());
        Assert.Equal(16, endpoint.SocketAddressLength);
    }

    [Fact]
    public void SocketAddress_IPv6WithScope_IsSockaddrIn6()
    {
        var endpoint = TestEndpoints.Set("[fe80::1:2%3]:443")[0];

        // struct sockaddr_in6 { family; port; u32 sin6_flowinfo; struct in6_addr sin6_addr; u32 sin6_scope_id; }
        byte[] scope = BitConverter.IsLittleEndian ? [3, 0, 0, 0] : [0, 0, 0, 3];
        byte[] expected =
        [
            .. FamilyInet6, 0x01, 0xBB, 0, 0, 0, 0,
            0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2,
            .. scope,
        ];
        Assert.Equal(expected, endpoint.SocketAddress.ToArray());
        Assert.Equal(28, endpoint.SocketAddressLength);
    }

    [Fact]
    public void Equals_SameEndPointInOtherSetAtOtherIndex_IsEqual()
    {
        var a = TestEndpoints.Set("198.18.0.1:80", "198.18.0.2:80")[1];
        var b = TestEndpoints.Set("198.18.0.2:80")[0];

        Assert.NotSame(a, b);
        Assert.NotEqual(a.Index, b.Index);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_OtherPort_IsNotEqual()
    {
        var set = TestEndpoints.Set("198.18.0.1:80", "198.18.0.1:81");

        Assert.NotEqual(set[0], set[1]);
    }
}
