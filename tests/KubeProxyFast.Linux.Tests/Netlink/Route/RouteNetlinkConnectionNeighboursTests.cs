using System.Net;
using System.Net.NetworkInformation;
using KubeProxyFast.Linux.Netlink;
using KubeProxyFast.Linux.Tests.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Linux.Tests.Netlink.Route;

/// <summary>Permanent neighbours made over rtnetlink inside a test namespace, read back with <c>ip -j neigh show</c>.</summary>
public sealed class RouteNetlinkConnectionNeighboursTests
{
    private static readonly IPAddress Neighbour = IPAddress.Parse("198.18.5.9");

    [Fact]
    public void AddReplaceDeleteNeighbour_OnBridge_IpFollowsEachStep()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();
        links.CreateBridge("br0");
        links.AddAddress("br0", IPAddress.Parse("198.18.5.1"), 24);
        links.SetUp("br0");

        links.AddNeighbour("br0", Neighbour, PhysicalAddress.Parse("02-00-00-00-00-09"));
        var added = Entry(node);
        Assert.Equal("02:00:00:00:00:09", added.Text("lladdr"));
        Assert.Equal(["PERMANENT"], added.GetProperty("state").EnumerateArray().Select(s => s.GetString()));

        links.ReplaceNeighbour("br0", Neighbour, PhysicalAddress.Parse("02-00-00-00-00-0a"));
        Assert.Equal("02:00:00:00:00:0a", Entry(node).Text("lladdr"));

        links.DeleteNeighbour("br0", Neighbour);
        Assert.Empty(IpJson.Show(node.Name, "neigh", "show", "198.18.5.9", "dev", "br0"));
    }

    [Fact]
    public void AddNeighbour_Twice_ThrowsEexistNamingTheEntry()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();
        links.CreateBridge("br0");
        links.AddNeighbour("br0", Neighbour, PhysicalAddress.Parse("02-00-00-00-00-09"));

        var e = Assert.Throws<NetlinkException>(() => links.AddNeighbour("br0", Neighbour, PhysicalAddress.Parse("02-00-00-00-00-09")));

        Assert.StartsWith("RTM_NEWNEIGH 198.18.5.9 lladdr 02:00:00:00:00:09 dev br0: File exists (EEXIST)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteNeighbour_UnknownDevice_ThrowsEnodev()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();

        var e = Assert.Throws<NetlinkException>(() => links.DeleteNeighbour("nope0", Neighbour));

        Assert.StartsWith("RTM_DELNEIGH 198.18.5.9 dev nope0: No such device (ENODEV)", e.Message, StringComparison.Ordinal);
    }

    private static System.Text.Json.JsonElement Entry(NetworkNamespace node) =>
        IpJson.Show(node.Name, "neigh", "show", "198.18.5.9", "dev", "br0").Single();
}
