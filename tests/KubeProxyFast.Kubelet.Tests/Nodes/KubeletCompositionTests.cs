using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Kubelet.Network;
using KubeProxyFast.Testing;
using KubeProxyFast.Testing.Containerd;
using Microsoft.Extensions.Logging.Abstractions;
using V1Node = KubeProxyFast.Api.Core.Node;

namespace KubeProxyFast.Kubelet.Tests.Nodes;

/// <summary>
/// The composed <see cref="Kubelet"/> in-process against a real in-process apiserver and a real
/// containerd in a private network namespace (given as <c>--container-runtime-endpoint</c>): the
/// Node registered with the runtime's version, its Lease, Ready only once the Node has a podCIDR
/// and containerd found the CNI config written for it, then a pod bound to the node running.
/// </summary>
public sealed class KubeletCompositionTests : IAsyncLifetime
{
    private const string NodeName = "node-c";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private NetworkNamespace _ns = null!;
    private TestContainerd _containerd = null!;
    private TestApiServer _server = null!;
    private KubeClient _client = null!;

    public async Task InitializeAsync()
    {
        _ns = NetworkNamespace.Create();
        try
        {
            _containerd = await TestContainerd.StartAsync(_ns);
            await _containerd.ImportAsync(TestImages.BusyboxArchive);
            _server = await TestApiServer.StartAsync();
            _client = new KubeClient(_server.Url);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            if (_containerd is not null)
            {
                await _containerd.DisposeAsync();
            }
        }
        finally
        {
            _ns.Dispose();
        }
    }

    private KubeletOptions Options => new()
    {
        NodeName = NodeName,
        DataDirectory = _containerd.DataDirectory,
        ContainerRuntimeEndpoint = _containerd.Endpoint,
        PodInfraContainerImage = _containerd.SandboxImage,
        NodeIp = "198.18.0.3",
        CgroupRoot = _containerd.CgroupParent,
        NodeStatusUpdateFrequency = TimeSpan.FromSeconds(1),
        LeaseRenewInterval = TimeSpan.FromSeconds(1),
    };

    private async Task<NodeCondition?> ReadyAsync() =>
        (await _client.GetAsync<V1Node>(null, NodeName)).Status?.Conditions?.Find(c => c.Type == "Ready");

    [Fact]
    public async Task StartAsync_RuntimeGiven_RegistersRenewsAndGetsReadyWithThePodCidrThenRunsAPod()
    {
        var logs = new CapturingLoggerFactory();
        await using var kubelet = await Kubelet.StartAsync(_client, Options, logs, CancellationToken.None);

        var node = await _client.GetAsync<V1Node>(null, NodeName);
        Assert.StartsWith("containerd://", node.Status!.NodeInfo!.ContainerRuntimeVersion, StringComparison.Ordinal);
        Assert.Equal("containerd", kubelet.RuntimeName);
        await Eventually.True(async () =>
        {
            try
            {
                return (await _client.GetAsync<Lease>("kube-node-lease", NodeName)).Spec?.HolderIdentity == NodeName;
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return false;
            }
        }, "the node's lease", Within);

        // No podCIDR yet: not ready, saying why.
        await Eventually.True(async () => await ReadyAsync() is { Status: "False" }, "Ready=False before the podCIDR", Within);
        Assert.Contains("network not ready", (await ReadyAsync())!.Message, StringComparison.Ordinal);

        await _client.PatchAsync<V1Node>(null, NodeName, PatchType.Merge, """{"spec":{"podCIDR":"198.18.64.0/24","podCIDRs":["198.18.64.0/24"]}}""");

        await Eventually.True(async () => await ReadyAsync() is { Status: "True", Reason: "KubeletReady" }, "Ready=True with the podCIDR", Within);
        Assert.True(File.Exists(Path.Combine(_containerd.CniConfDirectory, CniConfig.FileName)));

        var pod = await _client.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "sleeper", Namespace = "default" },
            Spec = new PodSpec
            {
                NodeName = NodeName,
                Containers = [new Container { Name = "c", Image = TestImages.BusyboxReference, ImagePullPolicy = "Never", Command = ["sleep", "3600"] }],
            },
        });
        try
        {
            await Eventually.True(async () => (await _client.GetAsync<Pod>("default", "sleeper")).Status?.Phase == "Running", "the pod running", Within);
        }
        catch (TimeoutException)
        {
            var status = KubeProxyFast.Api.Serialization.KubeJson.Serialize((await _client.GetAsync<Pod>("default", "sleeper")).Status);
            throw new TimeoutException($"the pod is not running: {status}\n{string.Join('\n', logs.Messages.TakeLast(40))}");
        }

        var running = await _client.GetAsync<Pod>("default", "sleeper");
        Assert.StartsWith("198.18.64.", running.Status!.PodIP, StringComparison.Ordinal);
        Assert.Equal("198.18.0.3", running.Status.HostIP);

        // Deleted with a grace period: the kubelet stops it and completes the deletion.
        await _client.DeleteAsync<Pod>("default", "sleeper", new DeleteOptions { GracePeriodSeconds = 2 });
        await Eventually.True(async () =>
        {
            try
            {
                var left = await _client.GetAsync<Pod>("default", "sleeper");
                return left.Metadata.Uid != pod.Metadata.Uid;
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return true;
            }
        }, "the pod gone from the API", Within);
    }

    [Fact]
    public async Task StartAsync_NoRuntimeOnTheEndpoint_FailsNamingItAndRegistersNothing()
    {
        var socket = Path.Combine(_containerd.DataDirectory, "none.sock");
        var e = await Assert.ThrowsAsync<KubeletStartException>(() =>
            Kubelet.StartAsync(_client, Options with { ContainerRuntimeEndpoint = "unix://" + socket }, NullLoggerFactory.Instance, CancellationToken.None));

        Assert.Contains(socket, e.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<KubeApiException>(() => _client.GetAsync<V1Node>(null, NodeName));
        Assert.True(missing.IsNotFound);
    }
}
