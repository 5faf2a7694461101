using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Kubelet.Network;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Network;

public sealed class PodNetworkManagerTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("kpf-net-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private TestApiServer _server = null!;
    private KubeClient _client = null!;
    private SharedInformerFactory _informers = null!;
    private NodeLink _link = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new KubeClient(_server.Url);
        _informers = new SharedInformerFactory(_client);
        _link = NodeLink.Create("198.18.0.1", "198.18.0.2");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _informers.DisposeAsync();
        _link.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
        _stop.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Start_UntilThePodCidrComes_NotReady_ThenConfigWrittenRoutedMasqueraded()
    {
        var options = new KubeletOptions { NodeName = "node-a", DataDirectory = _dataDirectory, ClusterCidr = "198.18.64.0/18" };
        var network = _link.Node.Run(() => new PodNetworkManager(options));
        await using (network)
        {
            var nodes = _informers.InformerFor<Node>();
            _informers.Start(_stop.Token);
            await network.StartAsync(nodes, _stop.Token).WaitAsync(Within);

            Assert.False(network.Ready);
            Assert.Contains("registered", network.NotReadyReason, StringComparison.Ordinal);
            await _client.CreateAsync(Build("node-b", "198.18.65.0/24", "198.18.0.2"));
            await _client.CreateAsync(Build("node-a", null, "198.18.0.1"));
            await Eventually.True(() => network.NotReadyReason?.Contains("podCIDR", StringComparison.Ordinal) == true, "waiting for the podCIDR", Within);
            await Eventually.True(() => IpRoutes().Contains("198.18.65.0/24 via 198.18.0.2 dev eth0 proto 75", StringComparison.Ordinal), "node-b's route", Within);
            Assert.False(network.Ready);
            Assert.False(File.Exists(Path.Combine(network.CniConfDirectory, CniConfig.FileName)));
            Assert.Contains("masquerade", _link.Node.ExecChecked("nft", "list", "table", "ip", "kpf-agent"), StringComparison.Ordinal);

            var self = await _client.GetAsync<Node>(null, "node-a");
            self.Spec!.PodCIDR = "198.18.64.0/24";
            await _client.UpdateAsync(self);
            await network.WaitReadyAsync(_stop.Token).WaitAsync(Within);

            Assert.True(network.Ready);
            Assert.Null(network.NotReadyReason);
            Assert.Equal("198.18.64.0/24", network.PodCidr);
            Assert.Equal(Path.Combine(_dataDirectory, "agent", "etc", "cni", "net.d"), network.CniConfDirectory);
            Assert.Equal(
                CniConfig.For("198.18.64.0/24", network.IpamDataDirectory).ToJson(),
                File.ReadAllText(Path.Combine(network.CniConfDirectory, CniConfig.FileName)));
            Assert.DoesNotContain("198.18.64.0/24", IpRoutes(), StringComparison.Ordinal);
            Assert.Null(network.LastError);
        }

        // Stopped: the masquerade table goes; routes and config stay for the pods still running.
        Assert.NotEqual(0, _link.Node.Exec("nft", "list", "table", "ip", "kpf-agent").ExitCode);
        Assert.Contains("198.18.65.0/24 via 198.18.0.2 dev eth0 proto 75", IpRoutes(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "agent", "etc", "cni", "net.d", CniConfig.FileName)));
    }

    [Fact]
    public void Constructor_ClusterCidrNotIPv4_ThrowsNamingIt()
    {
        var options = new KubeletOptions { NodeName = "node-a", DataDirectory = _dataDirectory, ClusterCidr = "fd00::/48" };

        var e = Assert.Throws<InvalidOperationException>(() => _link.Node.Run(() => new PodNetworkManager(options)));

        Assert.Contains("fd00::/48", e.Message, StringComparison.Ordinal);
    }

    private string IpRoutes() => _link.Node.ExecChecked("ip", "-4", "route", "show", "table", "main");

    private static Node Build(string name, string? podCidr, string internalIp) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new ObjectMeta { Name = name },
        Spec = new NodeSpec { PodCIDR = podCidr },
        Status = new NodeStatus { Addresses = [new NodeAddress { Type = NodeAddressTypes.InternalIP, Address = internalIp }] },
    };
}
