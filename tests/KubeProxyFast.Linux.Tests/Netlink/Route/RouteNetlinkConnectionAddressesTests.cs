using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Linux.Netlink;
using KubeProxyFast.Linux.Tests.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Linux.Tests.Netlink.Route;

/// <summary>Addresses made over rtnetlink inside a test namespace, read back with <c>ip -j addr show</c>.</summary>
public sealed class RouteNetlinkConnectionAddressesTests
{
    // RFC 5180's IPv6 benchmarking range, the counterpart of 198.18.0.0/15.
    private static readonly IPAddress V6 = IPAddress.Parse("2001:2::1");
    private static readonly IPAddress V4 = IPAddress.Parse("198.18.5.1");

    [Fact]
    public void AddAddress_IPv4AndIPv6_IpAndListShowThemWithTheirPrefix()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();
        links.CreateBridge("br0");
        links.SetUp("br0");

        links.AddAddress("br0", V4, 24);
        links.AddAddress("br0", V6, 64);

        var shown = IpJson.Show(node.Name, "addr", "show", "dev", "br0").Single().GetProperty("addr_info").EnumerateArray()
            .Select(a => (a.Text("local"), a.GetProperty("prefixlen").GetInt32())).ToList();
        Assert.Contains(("198.18.5.1", 24), shown);
        Assert.Contains(("2001:2::1", 64), shown);

        var index = links.GetLink("br0")!.Index;
        var listed = links.ListAddresses("br0");
        Assert.Contains(listed, a => a.Address.Equals(V4) && a.PrefixLength == 24 && a.LinkIndex == index);
        Assert.Contains(listed, a => a.Address.Equals(V6) && a.PrefixLength == 64);
        Assert.Equal([V4], links.ListAddresses("br0", AddressFamily.InterNetwork).Select(a => a.Address));
        Assert.DoesNotContain(links.ListAddresses("lo"), a => a.Address.Equals(V4));
    }

    [Fact]
    public void DeleteAddress_Added_IpNoLongerShowsIt()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();
        links.CreateBridge("br0");
        links.AddAddress("br0", V4, 24);

        links.DeleteAddress("br0", V4, 24);

        var shown = IpJson.Show(node.Name, "addr", "show", "dev", "br0").Single().GetProperty("addr_info").EnumerateArray();
        Assert.DoesNotContain(shown, a => a.Text("local") == "198.18.5.1");
        Assert.Empty(links.ListAddresses("br0", AddressFamily.InterNetwork));
    }

    [Fact]
    public void AddAddress_Twice_ThrowsEexistNamingTheAddressAndDevice()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();
        links.CreateBridge("br0");
        links.AddAddress("br0", V4, 24);

        var e = Assert.Throws<NetlinkException>(() => links.AddAddress("br0", V4, 24));

        Assert.StartsWith("RTM_NEWADDR 198.18.5.1/24 dev br0: File exists (EEXIST)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAddress_UnknownDevice_ThrowsEnodevNamingTheAddressAndDevice()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();

        var e = Assert.Throws<NetlinkException>(() => links.AddAddress("nope0", V4, 24));

        Assert.StartsWith("RTM_NEWADDR 198.18.5.1/24 dev nope0: No such device (ENODEV)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAddress_PrefixTooLong_ThrowsBeforeSending() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            using var node = NetworkNamespace.Create("");
            using var links = node.OpenRouteNetlink();
            links.AddAddress("lo", V4, 33);
        });
}
