using System.Net;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Kubelet.Network;
using KubeProxyFast.Linux.Netlink.Route;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Network;

public sealed class HostGatewayRoutesTests : IAsyncLifetime
{
    private const string Self = "node-a";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    private TestApiServer _server = null!;
    private KubeClient _client = null!;
    private SharedInformerFactory _informers = null!;
    private NodeLink _link = null!;
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new KubeClient(_server.Url);
        _informers = new SharedInformerFactory(_client);
        // The node is 198.18.0.1; the other nodes' InternalIPs answer on the peers' side.
        _link = NodeLink.Create("198.18.0.1", "198.18.0.2", "198.18.0.3");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _informers.DisposeAsync();
        _link.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public void WantedRoutes_Nodes_RouteEveryOtherNodesPodCidrViaItsInternalIp()
    {
        var routes = HostGatewayRoutes.WantedRoutes(Self,
        [
            Build(Self, "198.18.10.0/24", "198.18.0.1"),
            Build("node-b", "198.18.11.0/24", "198.18.0.2"),
            Build("node-c", null, "198.18.0.3"),
            Build("node-d", "198.18.13.0/24", null),
            Build("node-e", "198.18.11.0/24", "198.18.0.3"),
        ]);

        Assert.Equal([new RouteEntry(IPNetwork.Parse("198.18.11.0/24"), IPAddress.Parse("198.18.0.2"), Protocol: HostGatewayRoutes.Protocol)], routes);
    }

    [Fact]
    public async Task Start_NodesWithPodCidrs_RoutesAppearFollowChangesAndGoOnDelete()
    {
        await _client.CreateAsync(Build(Self, "198.18.10.0/24", "198.18.0.1"));
        await _client.CreateAsync(Build("node-b", "198.18.11.0/24", "198.18.0.2"));
        await using var routes = await StartAsync();

        Assert.Contains("198.18.11.0/24 via 198.18.0.2 dev eth0 proto 75", IpRoutes());
        Assert.DoesNotContain("198.18.10.0/24", IpRoutes(), StringComparison.Ordinal);

        // A node joins without a podCIDR, then gets one.
        await _client.CreateAsync(Build("node-c", null, "198.18.0.3"));
        var c = await _client.GetAsync<Node>(null, "node-c");
        c.Spec!.PodCIDR = "198.18.12.0/24";
        await _client.UpdateAsync(c);
        await Eventually.True(() => IpRoutes().Contains("198.18.12.0/24 via 198.18.0.3 dev eth0 proto 75"), "node-c's route", Within);

        // node-b's InternalIP changes, then its podCIDR.
        var b = await _client.GetAsync<Node>(null, "node-b");
        b.Status!.Addresses = [new NodeAddress { Type = NodeAddressTypes.InternalIP, Address = "198.18.0.3" }];
        b = await _client.UpdateStatusAsync(b);
        await Eventually.True(() => IpRoutes().Contains("198.18.11.0/24 via 198.18.0.3 dev eth0 proto 75"), "node-b's new gateway", Within);
        b.Spec!.PodCIDR = "198.18.21.0/24";
        await _client.UpdateAsync(b);
        await Eventually.True(() => IpRoutes().Contains("198.18.21.0/24 via 198.18.0.3 dev eth0 proto 75") && !IpRoutes().Contains("198.18.11.0/24"), "node-b's new podCIDR", Within);

        await _client.DeleteAsync<Node>(null, "node-b");
        await Eventually.True(() => !IpRoutes().Contains("198.18.21.0/24"), "node-b's route gone", Within);
        Assert.Contains("198.18.12.0/24 via 198.18.0.3 dev eth0 proto 75", IpRoutes());
        Assert.Null(routes.LastError);
    }

    [Fact]
    public async Task Start_LeftoversAndForeignRoutes_RemovesOnlyOursAndLeavesForeignAlone()
    {
        using (var links = _link.Node.OpenRouteNetlink())
        {
            // A leftover of an earlier run (our protocol), and two routes someone else made.
            links.AddRoute(new RouteEntry(IPNetwork.Parse("198.18.40.0/24"), IPAddress.Parse("198.18.0.2"), Protocol: HostGatewayRoutes.Protocol));
            links.AddRoute(new RouteEntry(IPNetwork.Parse("198.18.30.0/24"), IPAddress.Parse("198.18.0.3")));
            links.AddRoute(new RouteEntry(IPNetwork.Parse("198.18.31.0/24"), IPAddress.Parse("198.18.0.3")));
        }

        // node-b claims 198.18.31.0/24, to which a foreign route exists.
        await _client.CreateAsync(Build("node-b", "198.18.31.0/24", "198.18.0.2"));
        await _client.CreateAsync(Build("node-c", "198.18.12.0/24", "198.18.0.3"));
        await using var routes = await StartAsync();

        var table = IpRoutes();
        Assert.DoesNotContain("198.18.40.0/24", table, StringComparison.Ordinal);
        Assert.Contains("198.18.30.0/24 via 198.18.0.3 dev eth0", IpRouteLines());
        Assert.Contains("198.18.31.0/24 via 198.18.0.3 dev eth0", IpRouteLines());
        Assert.Contains("198.18.12.0/24 via 198.18.0.3 dev eth0 proto 75", table, StringComparison.Ordinal);
        Assert.Contains("198.18.31.0/24", routes.LastError, StringComparison.Ordinal);

        // Our routes going never takes a foreign one with them.
        await _client.DeleteAsync<Node>(null, "node-b");
        await _client.DeleteAsync<Node>(null, "node-c");
        await Eventually.True(() => !IpRoutes().Contains("198.18.12.0/24"), "node-c's route gone", Within);
        Assert.Contains("198.18.31.0/24 via 198.18.0.3 dev eth0", IpRouteLines());
        Assert.Contains("198.18.30.0/24 via 198.18.0.3 dev eth0", IpRouteLines());
    }

    [Fact]
    public async Task Start_RouteInPlace_PodTrafficReachesTheOtherNode()
    {
        await _client.CreateAsync(Build("node-b", "198.18.11.0/24", "198.18.0.2"));
        // The other node's pod range answers on its side.
        _link.Peers.ExecChecked("ip", "route", "add", "local", "198.18.11.0/24", "dev", "lo");
        await using var routes = await StartAsync();

        var source = await NamespaceTcp.ConnectAsync(_link.Node, _link.Peers, IPAddress.Parse("198.18.11.7"), 8080);

        Assert.Equal(IPAddress.Parse("198.18.0.1"), source);
    }

    private async Task<HostGatewayRoutes> StartAsync()
    {
        var nodes = _informers.InformerFor<Node>();
        _informers.Start(_stop.Token);
        var routes = new HostGatewayRoutes(Self, _link.Node.OpenRouteNetlink(), ownsConnection: true, resyncPeriod: TimeSpan.FromSeconds(60));
        try
        {
            await routes.StartAsync(nodes, _stop.Token).WaitAsync(Within);
            return routes;
        }
        catch
        {
            await routes.DisposeAsync();
            throw;
        }
    }

    // `ip route` leaves "proto boot" out: a foreign route's line ends with its device.
    private string[] IpRouteLines() => IpRoutes().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private string IpRoutes() => _link.Node.ExecChecked("ip", "-4", "route", "show", "table", "main");

    private static Node Build(string name, string? podCidr, string? internalIp) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new ObjectMeta { Name = name },
        Spec = new NodeSpec { PodCIDR = podCidr },
        Status = new NodeStatus
        {
            Addresses = internalIp is null ? [] : [new NodeAddress { Type = NodeAddressTypes.InternalIP, Address = internalIp }],
        },
    };
}
