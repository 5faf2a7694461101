using System.Net;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Controllers.NodeIpam;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Controllers.Tests.NodeIpam;

public sealed class NodeIpamControllerTests : NodeControllerTestBase
{
    private static readonly NodeIpamOptions Options = new() { ClusterCidr = "198.18.0.0/16", NodeCidrMaskSize = 24, ServiceCidr = TestApiServer.ServiceClusterIpRange };

    [Fact]
    public async Task Allocate_FiftyNodesCreatedAtOnce_EachGetsAUniqueCidrInTheRange()
    {
        await RunAsync(c => new NodeIpamController(c, Options));

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => CreateNodeAsync($"node-{i}")));

        var cidrs = await AllocatedAsync(50);
        Assert.Equal(50, cidrs.Values.Distinct().Count());
        var cluster = IPNetwork.Parse("198.18.0.0/16");
        Assert.All(cidrs.Values, c => Assert.True(cluster.Contains(IPNetwork.Parse(c).BaseAddress) && c.EndsWith("/24", StringComparison.Ordinal), c));
        var nodes = await Client.ListAsync<Node>(null);
        Assert.All(nodes.Items, n => Assert.Equal([n.Spec!.PodCIDR!], n.Spec.PodCIDRs!));
    }

    [Fact]
    public async Task Allocate_RangeExhausted_CidrNotAvailableEventThenTheCidrOfADeletedNode()
    {
        // A /23 holds two /24s.
        await RunAsync(c => new NodeIpamController(c, Options with { ClusterCidr = "198.18.0.0/23" }));
        await CreateNodeAsync("a");
        await CreateNodeAsync("b");
        var cidrs = await AllocatedAsync(2);

        await CreateNodeAsync("c");

        await Eventually.True(async () => (await EventsAsync("c", "CIDRNotAvailable")).Count > 0, "a CIDRNotAvailable event on node c", Within);
        var events = await EventsAsync("c", "CIDRNotAvailable");
        Assert.Equal("Node c status is now: CIDRNotAvailable", events[0].Message);
        Assert.Null((await Client.GetAsync<Node>(null, "c")).Spec?.PodCIDR);

        await Client.DeleteAsync<Node>(null, "a");

        await Eventually.True(async () => (await Client.GetAsync<Node>(null, "c")).Spec?.PodCIDR is not null, "node c gets the CIDR node a had", Within);
        Assert.Equal(cidrs["a"], (await Client.GetAsync<Node>(null, "c")).Spec!.PodCIDR);
        Assert.Equal(cidrs["b"], (await Client.GetAsync<Node>(null, "b")).Spec!.PodCIDR);
    }

    [Fact]
    public async Task Restart_NodesWithCidrs_NewNodesNeverGetTheirCidrs()
    {
        var first = await RunAsync(c => new NodeIpamController(c, Options with { ClusterCidr = "198.18.0.0/22" }));
        await CreateNodeAsync("a");
        await CreateNodeAsync("b");
        await AllocatedAsync(2);
        await first.DisposeAsync();
        // Written where nothing would have handed it out next: a restarted allocator must learn it from the node.
        await CreateNodeAsync("manual", n => n.Spec = new NodeSpec { PodCIDR = "198.18.3.0/24", PodCIDRs = ["198.18.3.0/24"] });

        await RunAsync(c => new NodeIpamController(c, Options with { ClusterCidr = "198.18.0.0/22" }));
        await CreateNodeAsync("c");

        var cidrs = await AllocatedAsync(4);
        Assert.Equal(4, cidrs.Values.Distinct().Count());
        Assert.Equal("198.18.3.0/24", cidrs["manual"]);
    }

    [Fact]
    public async Task Allocate_ServiceRangeInsideClusterCidr_NeverHandedOut()
    {
        await RunAsync(c => new NodeIpamController(c, Options with { ClusterCidr = "198.18.0.0/22", ServiceCidr = "198.18.1.0/24" }));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => CreateNodeAsync($"node-{i}")));

        var cidrs = await AllocatedAsync(3);
        Assert.Equal(["198.18.0.0/24", "198.18.2.0/24", "198.18.3.0/24"], cidrs.Values.Order(StringComparer.Ordinal));
        await Eventually.True(async () => (await EventsAsync("node-0", "CIDRNotAvailable")).Count
            + (await EventsAsync("node-1", "CIDRNotAvailable")).Count + (await EventsAsync("node-2", "CIDRNotAvailable")).Count
            + (await EventsAsync("node-3", "CIDRNotAvailable")).Count > 0, "the fourth node finds the range full", Within);
    }

    [Fact]
    public async Task Allocate_NodeWithCidrOutsideTheRange_KeepsIt()
    {
        await CreateNodeAsync("foreign", n => n.Spec = new NodeSpec { PodCIDR = "198.19.200.0/24", PodCIDRs = ["198.19.200.0/24"] });
        await RunAsync(c => new NodeIpamController(c, Options));

        await CreateNodeAsync("new");

        await Eventually.True(async () => (await Client.GetAsync<Node>(null, "new")).Spec?.PodCIDR is not null, "the new node gets a CIDR", Within);
        Assert.Equal("198.19.200.0/24", (await Client.GetAsync<Node>(null, "foreign")).Spec!.PodCIDR);
    }

    [Theory]
    [InlineData("", "--cluster-cidr is empty")]
    [InlineData("198.18.0.0", "invalid --cluster-cidr \"198.18.0.0\"")]
    [InlineData("198.18.0.0/33", "invalid --cluster-cidr \"198.18.0.0/33\"")]
    [InlineData("fd00::/48", "is not IPv4")]
    [InlineData("198.18.0.0/16,198.19.0.0/16", "only one (IPv4) cluster CIDR")]
    [InlineData("198.18.0.0/25", "node CIDR mask size 24 must be between")]
    [InlineData("198.18.0.0/7", "the difference of the mask sizes must be at most 16")]
    public void Constructor_BadClusterCidr_ErrorNamesIt(string clusterCidr, string message)
    {
        using var client = new Client.KubeClient(new Uri("http://127.0.0.1:1"));
        var context = new ControllerContext(client, new Client.Informers.SharedInformerFactory(client), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        var error = Assert.Throws<ArgumentException>(() => new NodeIpamController(context, Options with { ClusterCidr = clusterCidr }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Waits until <paramref name="count"/> nodes have a pod CIDR; returns node name → CIDR of those that do.</summary>
    private async Task<Dictionary<string, string>> AllocatedAsync(int count)
    {
        Dictionary<string, string> cidrs = [];
        await Eventually.True(async () =>
        {
            var nodes = await Client.ListAsync<Node>(null);
            cidrs = nodes.Items.Where(n => n.Spec?.PodCIDR is not null).ToDictionary(n => n.Metadata.Name!, n => n.Spec!.PodCIDR!);
            return cidrs.Count >= count;
        }, $"{count} nodes with a pod CIDR", Within);
        return cidrs;
    }
}
