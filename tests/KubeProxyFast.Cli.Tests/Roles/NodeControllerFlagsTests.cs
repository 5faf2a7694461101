using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Cli.Tests.Support;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Roles;

/// <summary>The node controllers' kube-controller-manager flags: bad values fail the command naming the flag; good ones reach the controllers.</summary>
public sealed class NodeControllerFlagsTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private TestApiServer _server = null!;
    private KubeClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new KubeClient(_server.Url);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("--cluster-cidr", "198.18.0.0", "invalid --cluster-cidr \"198.18.0.0\": not a CIDR")]
    [InlineData("--node-cidr-mask-size", "8", "node CIDR mask size 8 must be between the cluster CIDR's mask size (16) and 32")]
    [InlineData("--node-eviction-rate", "-1", "--node-eviction-rate must not be negative, got -1")]
    [InlineData("--unhealthy-zone-threshold", "1.5", "--unhealthy-zone-threshold must be in (0, 1], got 1.5")]
    [InlineData("--node-monitor-grace-period", "0s", "--node-monitor-grace-period: \"0s\": must be positive")]
    public void ControllerManagerCommand_BadNodeFlag_FailsNamingIt(string flag, string value, string message)
    {
        var (code, error) = Run("controller-manager", "--master", "http://127.0.0.1:1", flag, value);

        Assert.NotEqual(0, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ControllerManagerCommand_BadClusterCidrWithoutAllocation_Accepted()
    {
        var (code, error) = Run("controller-manager", "--master", "http://127.0.0.1:1", "--allocate-node-cidrs=false", "--cluster-cidr", "nonsense", "--help");

        Assert.Equal(0, code);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task ControllerManagerCommand_NodeFlags_ReachTheNodeControllers()
    {
        using var kpf = KpfProcess.Start("controller-manager", "--kubeconfig", _server.KubeconfigPath, "--secure-port", "0",
            "--cluster-cidr", "198.18.0.0/16", "--node-cidr-mask-size", "26", "--node-startup-grace-period", "1s", "--node-monitor-period", "200ms");
        await _client.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "never-posted" }, Spec = new NodeSpec() });

        await Eventually.True(async () => (await _client.GetAsync<Node>(null, "never-posted")).Spec?.PodCIDR is not null, "the node gets a pod CIDR", Bound);
        await Eventually.True(async () => (await _client.GetAsync<Node>(null, "never-posted")).Spec?.Taints?.Count == 2, "the silent node is tainted", Bound);

        var node = await _client.GetAsync<Node>(null, "never-posted");
        Assert.Equal("198.18.0.0/26", node.Spec!.PodCIDR);
        var ready = node.Status!.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal(("Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status."), (ready.Status, ready.Reason, ready.Message));
        kpf.Signal("TERM");
        Assert.Equal(0, await kpf.WaitForExitAsync(Bound));
    }

    private static (int Code, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = KpfCommandLine.Run(args, output, error);
        return (code, error.ToString());
    }
}
