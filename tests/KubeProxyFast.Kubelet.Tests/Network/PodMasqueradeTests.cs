using System.Net;
using KubeProxyFast.Kubelet.Network;
using KubeProxyFast.Linux.Namespaces;
using KubeProxyFast.Linux.Netlink.NfTables;
using KubeProxyFast.Linux.Netlink.Route;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Network;

/// <summary>
/// A node (198.18.0.1 on eth0) whose pod (198.18.64.2, cluster CIDR 198.18.64.0/18) sits behind
/// a veth, and beyond eth0 a peers namespace holding both an outside host (198.18.0.9) and
/// another node's pod range (198.18.65.0/24, routed host-gw style).
/// </summary>
public sealed class PodMasqueradeTests : IDisposable
{
    private static readonly IPNetwork ClusterCidr = IPNetwork.Parse("198.18.64.0/18");
    private static readonly IPAddress Pod = IPAddress.Parse("198.18.64.2");
    private static readonly IPAddress Outside = IPAddress.Parse("198.18.0.9");
    private static readonly IPAddress OtherNodesPod = IPAddress.Parse("198.18.65.7");

    private readonly NodeLink _link = NodeLink.Create("198.18.0.1", "198.18.0.9");
    private readonly NetworkNamespace _pod = NetworkNamespace.Create("");

    public PodMasqueradeTests()
    {
        using (var links = _link.Node.OpenRouteNetlink())
        using (var pod = NetworkNamespaces.Open(_pod.Name))
        {
            links.CreateVethPair("veth-pod", "eth0", pod);
            links.AddAddress("veth-pod", IPAddress.Parse("198.18.64.1"), 24);
            links.SetUp("veth-pod");
            links.AddRoute(new RouteEntry(IPNetwork.Parse("198.18.65.0/24"), Outside));
        }

        using (var links = _pod.OpenRouteNetlink())
        {
            links.AddAddress("eth0", Pod, 24);
            links.SetUp("eth0");
            links.AddRoute(new RouteEntry(new IPNetwork(IPAddress.Any, 0), IPAddress.Parse("198.18.64.1")));
        }

        using (var links = _link.Peers.OpenRouteNetlink())
        {
            links.AddRoute(new RouteEntry(IPNetwork.Parse("198.18.65.0/24"), Device: "lo", Type: RouteType.Local));
            // The other node routes back to this node's pods (host-gw), but the outside host does not know them.
            links.AddRoute(new RouteEntry(IPNetwork.Parse("198.18.64.0/24"), IPAddress.Parse("198.18.0.1")));
        }

        _link.Node.Run(() =>
        {
            File.WriteAllText("/proc/sys/net/ipv4/ip_forward", "1");
            return 0;
        });
    }

    public void Dispose()
    {
        _pod.Dispose();
        _link.Dispose();
    }

    [Fact]
    public void Apply_Twice_ListsOneTableWithTheMasqueradeRule()
    {
        using var masquerade = Open();

        masquerade.Apply();
        masquerade.Apply();

        var table = _link.Node.ExecChecked("nft", "list", "table", "ip", "kpf-agent");
        Assert.Contains("type nat hook postrouting priority srcnat", table, StringComparison.Ordinal);
        Assert.Single(table.Split('\n'), l => l.Contains("masquerade", StringComparison.Ordinal));
        Assert.Contains("ip saddr 198.18.64.0/18 ip daddr != 198.18.64.0/18 ip daddr != 224.0.0.0/4 masquerade", table, StringComparison.Ordinal);
        Assert.True(masquerade.Exists());
    }

    [Fact]
    public void Delete_Applied_RemovesTheTableAndTwiceIsNoError()
    {
        using var masquerade = Open();
        masquerade.Apply();

        masquerade.Delete();
        masquerade.Delete();

        Assert.NotEqual(0, _link.Node.Exec("nft", "list", "table", "ip", "kpf-agent").ExitCode);
        Assert.False(masquerade.Exists());
    }

    [Fact]
    public async Task Apply_PodReachesOutside_WithTheNodesAddress()
    {
        using var masquerade = Open();
        masquerade.Apply();

        var source = await NamespaceTcp.ConnectAsync(_pod, _link.Peers, Outside, 8080);

        Assert.Equal(IPAddress.Parse("198.18.0.1"), source);
    }

    [Fact]
    public async Task Apply_PodReachesAnotherNodesPod_WithItsOwnAddress()
    {
        using var masquerade = Open();
        masquerade.Apply();

        var source = await NamespaceTcp.ConnectAsync(_pod, _link.Peers, OtherNodesPod, 8080);

        Assert.Equal(Pod, source);
    }

    private PodMasquerade Open() => new(ClusterCidr, _link.Node.Run(NfTablesConnection.Open), ownsConnection: true);
}
