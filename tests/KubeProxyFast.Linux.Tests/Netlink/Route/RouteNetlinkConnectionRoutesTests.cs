using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Linux.Netlink;
using KubeProxyFast.Linux.Netlink.Route;
using KubeProxyFast.Linux.Tests.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Linux.Tests.Netlink.Route;

/// <summary>Routes made over rtnetlink inside a test namespace, read back with <c>ip -j route show</c>.</summary>
public sealed class RouteNetlinkConnectionRoutesTests
{
    private static readonly IPAddress Gateway = IPAddress.Parse("198.18.5.2");

    [Fact]
    public void AddRoute_GatewayDeviceAndDefault_IpAndListShowThem()
    {
        using var node = NetworkNamespace.Create("");
        using var links = BridgeOn(node);

        links.AddRoute(new RouteEntry(IPNetwork.Parse("198.19.0.0/16"), Gateway, "br0"));
        links.AddRoute(new RouteEntry(IPNetwork.Parse("198.18.64.0/18"), Device: "br0"));
        links.AddRoute(new RouteEntry(new IPNetwork(IPAddress.Any, 0), IPAddress.Parse("198.18.5.254")));

        var shown = IpJson.Show(node.Name, "route", "show").Select(r => (r.Text("dst"), r.Text("gateway"), r.Text("dev"))).ToList();
        Assert.Contains(("198.19.0.0/16", "198.18.5.2", "br0"), shown);
        Assert.Contains(("198.18.64.0/18", null, "br0"), shown);
        Assert.Contains(("default", "198.18.5.254", "br0"), shown);
        Assert.Equal("link", IpJson.Show(node.Name, "route", "show", "198.18.64.0/18").Single().Text("scope"));

        var listed = links.ListRoutes(AddressFamily.InterNetwork);
        Assert.Contains(new RouteEntry(IPNetwork.Parse("198.19.0.0/16"), Gateway, "br0"), listed);
        Assert.Contains(new RouteEntry(IPNetwork.Parse("198.18.64.0/18"), null, "br0"), listed);
        Assert.Contains(new RouteEntry(new IPNetwork(IPAddress.Any, 0), IPAddress.Parse("198.18.5.254"), "br0"), listed);
    }

    [Fact]
    public void ReplaceRoute_Existing_IpShowsTheNewGatewayOnly()
    {
        using var node = NetworkNamespace.Create("");
        using var links = BridgeOn(node);
        links.AddRoute(new RouteEntry(IPNetwork.Parse("198.19.0.0/16"), Gateway));

        links.ReplaceRoute(new RouteEntry(IPNetwork.Parse("198.19.0.0/16"), IPAddress.Parse("198.18.5.3")));

        var route = IpJson.Show(node.Name, "route", "show", "198.19.0.0/16").Single();
        Assert.Equal("198.18.5.3", route.Text("gateway"));
    }

    [Fact]
    public void DeleteRoute_Added_IpNoLongerShowsIt()
    {
        using var node = NetworkNamespace.Create("");
        using var links = BridgeOn(node);
        var route = new RouteEntry(IPNetwork.Parse("198.19.0.0/16"), Gateway, "br0");
        links.AddRoute(route);

        links.DeleteRoute(route);

        Assert.Empty(IpJson.Show(node.Name, "route", "show", "198.19.0.0/16"));
        Assert.DoesNotContain(route, links.ListRoutes(AddressFamily.InterNetwork));
    }

    [Fact]
    public void AddRoute_Local_LandsInTheLocalTableAndAnswersLocally()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();
        links.SetUp("lo");

        links.AddRoute(new RouteEntry(IPNetwork.Parse("198.18.128.0/17"), Device: "lo", Type: RouteType.Local));

        var route = IpJson.Show(node.Name, "route", "show", "table", "local", "198.18.128.0/17").Single();
        Assert.Equal(("local", "lo", "host"), (route.Text("type"), route.Text("dev"), route.Text("scope")));
        Assert.Contains(new RouteEntry(IPNetwork.Parse("198.18.128.0/17"), null, "lo", RouteType.Local), links.ListRoutes(AddressFamily.InterNetwork, RouteTables.Local));
        Assert.Equal("local", IpJson.Show(node.Name, "route", "get", "198.18.200.7").Single().Text("type"));
    }

    [Fact]
    public void AddRoute_Twice_ThrowsEexistNamingTheRoute()
    {
        using var node = NetworkNamespace.Create("");
        using var links = BridgeOn(node);
        links.AddRoute(new RouteEntry(IPNetwork.Parse("198.19.0.0/16"), Gateway));

        var e = Assert.Throws<NetlinkException>(() => links.AddRoute(new RouteEntry(IPNetwork.Parse("198.19.0.0/16"), Gateway)));

        Assert.StartsWith("RTM_NEWROUTE 198.19.0.0/16 via 198.18.5.2: File exists (EEXIST)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteRoute_Absent_ThrowsEsrchNamingTheRoute()
    {
        using var node = NetworkNamespace.Create("");
        using var links = BridgeOn(node);

        var e = Assert.Throws<NetlinkException>(() => links.DeleteRoute(new RouteEntry(IPNetwork.Parse("198.19.0.0/16"), Gateway)));

        Assert.StartsWith("RTM_DELROUTE 198.19.0.0/16 via 198.18.5.2: No such process (ESRCH)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRoute_UnknownDevice_ThrowsEnodevNamingTheRoute()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();

        var e = Assert.Throws<NetlinkException>(() => links.AddRoute(new RouteEntry(IPNetwork.Parse("198.19.0.0/16"), Device: "nope0")));

        Assert.StartsWith("RTM_NEWROUTE 198.19.0.0/16 dev nope0: No such device (ENODEV)", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A namespace with br0 up on 198.18.5.1/24, so gateways in that subnet are reachable.</summary>
    private static RouteNetlinkConnection BridgeOn(NetworkNamespace node)
    {
        var links = node.OpenRouteNetlink();
        links.CreateBridge("br0");
        links.AddAddress("br0", IPAddress.Parse("198.18.5.1"), 24);
        links.SetUp("br0");
        return links;
    }
}
