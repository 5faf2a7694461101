using KubeProxyFast.Linux.Namespaces;
using KubeProxyFast.Linux.Netlink;
using KubeProxyFast.Linux.Tests.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Linux.Tests.Netlink.Route;

/// <summary>Links made over rtnetlink inside test namespaces, read back with <c>ip -j</c>.</summary>
public sealed class RouteNetlinkConnectionLinksTests
{
    [Fact]
    public void CreateBridgeAndVethPair_PeerInOtherNamespace_IpShowsBridgeVethMasterMtuAndPeer()
    {
        using var node = NetworkNamespace.Create("");
        using var pod = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();
        using (var podHandle = NetworkNamespaces.Open(pod.Name))
        {
            links.CreateBridge("br0");
            links.CreateVethPair("veth0", "eth0", podHandle);
        }

        links.SetMaster("veth0", "br0");
        links.SetMtu("veth0", 1400);
        links.SetUp("br0");
        links.SetUp("veth0");

        var bridge = IpJson.Link(node.Name, "br0");
        Assert.Equal("bridge", bridge.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Contains("UP", bridge.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var veth = IpJson.Link(node.Name, "veth0");
        Assert.Equal("veth", veth.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal("br0", veth.Text("master"));
        Assert.Equal(1400, veth.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", veth.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        // The peer was created in the pod's namespace, never in the node's.
        Assert.Equal("veth", IpJson.Link(pod.Name, "eth0").GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.DoesNotContain(IpJson.Show(node.Name, "link", "show"), l => l.Text("ifname") == "eth0");

        var read = links.GetLink("veth0");
        Assert.NotNull(read);
        Assert.Equal(veth.GetProperty("ifindex").GetInt32(), read.Index);
        Assert.Equal(bridge.GetProperty("ifindex").GetInt32(), read.MasterIndex);
        Assert.Equal(("veth", 1400, true), (read.Kind, read.Mtu, read.IsUp));
        Assert.Equal(veth.Text("address"), string.Join(':', read.HardwareAddress!.GetAddressBytes().Select(b => b.ToString("x2"))));
        Assert.Equal("br0", links.GetLink(read.MasterIndex)?.Name);
    }

    [Fact]
    public void SetDownAndNoMaster_EnslavedUpLink_IpShowsItDownAndFree()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();
        links.CreateBridge("br0");
        links.CreateVethPair("veth0", "veth1");
        links.SetMaster("veth0", "br0");
        links.SetUp("veth0");

        links.SetDown("veth0");
        links.SetMaster("veth0", null);

        var veth = IpJson.Link(node.Name, "veth0");
        Assert.DoesNotContain("UP", veth.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Null(veth.Text("master"));
        Assert.Equal((false, 0), (links.GetLink("veth0")!.IsUp, links.GetLink("veth0")!.MasterIndex));
    }

    [Fact]
    public void MoveToNamespace_Link_LeavesSourceAndAppearsInTarget()
    {
        using var node = NetworkNamespace.Create("");
        using var other = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();
        links.CreateVethPair("veth0", "veth1");

        using (var target = NetworkNamespaces.Open(other.Name))
        {
            links.MoveToNamespace("veth1", target);
        }

        Assert.Null(links.GetLink("veth1"));
        Assert.Equal("veth1", IpJson.Link(other.Name, "veth1").Text("ifname"));
    }

    [Fact]
    public void DeleteLink_OneEndOfVethPair_RemovesBothEnds()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();
        links.CreateVethPair("veth0", "veth1");

        links.DeleteLink("veth1");

        Assert.Equal(["lo"], IpJson.Show(node.Name, "link", "show").Select(l => l.Text("ifname")));
        Assert.Equal(["lo"], links.ListLinks().Select(l => l.Name));
        Assert.Null(links.GetLink("veth0"));
    }

    [Fact]
    public void CreateVethPair_NameTaken_ThrowsEexistNamingTheOperationAndLink()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();
        links.CreateVethPair("veth0", "veth1");

        var e = Assert.Throws<NetlinkException>(() => links.CreateVethPair("veth0", "veth2"));

        Assert.StartsWith("RTM_NEWLINK veth0 type veth peer veth2: File exists (EEXIST)", e.Message, StringComparison.Ordinal);
        Assert.Equal(17, e.Errno);
        Assert.DoesNotContain(IpJson.Show(node.Name, "link", "show"), l => l.Text("ifname") == "veth2");
    }

    [Fact]
    public void CreateBridge_NameTaken_ThrowsEexist()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();
        links.CreateBridge("br0");

        var e = Assert.Throws<NetlinkException>(() => links.CreateBridge("br0"));

        Assert.StartsWith("RTM_NEWLINK br0: File exists (EEXIST)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetUpAndDeleteLink_UnknownDevice_ThrowEnodevNamingTheDevice()
    {
        using var node = NetworkNamespace.Create("");
        using var links = node.OpenRouteNetlink();

        var up = Assert.Throws<NetlinkException>(() => links.SetUp("nope0"));
        var delete = Assert.Throws<NetlinkException>(() => links.DeleteLink("nope0"));
        var master = Assert.Throws<NetlinkException>(() => links.SetMaster("lo", "nope0"));

        Assert.StartsWith("RTM_NEWLINK nope0 up: No such device (ENODEV)", up.Message, StringComparison.Ordinal);
        Assert.StartsWith("RTM_DELLINK nope0: No such device (ENODEV)", delete.Message, StringComparison.Ordinal);
        Assert.StartsWith("RTM_NEWLINK lo master nope0: No such device (ENODEV)", master.Message, StringComparison.Ordinal);
        Assert.Equal(19, up.Errno);
        Assert.Null(links.GetLink("nope0"));
        Assert.Null(links.GetLink(99999));
    }
}
