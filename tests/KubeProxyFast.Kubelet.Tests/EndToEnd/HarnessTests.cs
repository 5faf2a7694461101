using KubeProxyFast.Kubelet.Tests.EndToEnd.Support;
using KubeProxyFast.Linux.Namespaces;
using KubeProxyFast.Testing;
using KubeProxyFast.Testing.Containerd;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd;

/// <summary>The harness without a kubelet (cheap, so outside the shared node's group): server up in the node's namespace, and nothing left after.</summary>
public sealed class HarnessTests
{
    [Fact]
    public async Task Dispose_ServerOnlyNode_LeavesNothing()
    {
        var node = await KubeletNode.StartAsync(new KubeletNodeOptions { NodeName = "bare", StartKubelet = false });
        var (ns, directory) = (node.Namespace.Name, node.Directory);
        var nodes = await node.GetAsync("/api/v1/nodes");
        Assert.NotNull(nodes["items"]);
        Assert.Contains(ns, NetworkNamespaces.List());
        Assert.Contains("namespace/default", node.Kubectl("get", "namespaces", "-o", "name"), StringComparison.Ordinal);
        Assert.Contains("inet " + node.Address + "/24", node.Namespace.ExecChecked("ip", "-4", "addr", "show", "eth0"), StringComparison.Ordinal);

        await node.DisposeAsync();

        NodeTeardownTests.AssertNothingLeft(ns, directory, marker: null);
    }

    [Fact]
    public async Task Registry_InTheNodesNamespace_ServesThePushedImage_ArchivePreloaded()
    {
        await using var node = await KubeletNode.StartAsync(new KubeletNodeOptions { NodeName = "bare", StartKubelet = false, ImageArchives = [TestImages.BusyboxArchive] });
        await using var registry = await TestRegistry.StartAsync(node.Namespace, 5000);
        Assert.Equal(E2eImages.Pushed, await registry.PushAsync(TestImages.BusyboxArchive, E2eImages.PushedRepository));

        var inspect = node.Namespace.ExecChecked("skopeo", "inspect", "--tls-verify=false", "docker://" + E2eImages.Pushed);
        Assert.Contains("\"Digest\": \"sha256:", inspect, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(node.DataDirectory, "agent", "images", Path.GetFileName(TestImages.BusyboxArchive))));
    }
}
