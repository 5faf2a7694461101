using KubeProxyFast.Kubelet.Tests.EndToEnd.Support;
using KubeProxyFast.Linux.Namespaces;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd;

/// <summary>The harness itself: a node with pods leaves nothing behind — no namespace, process, mount, pod network namespace or directory.</summary>
[Collection(SharedNodeGroup.Name)]
public sealed class NodeTeardownTests(SharedNode shared)
{
    [Fact]
    public async Task Dispose_NodeWithRunningPods_LeavesNothing()
    {
        var before = NetworkNamespaces.List();
        var node = await KubeletNode.StartAsync(new KubeletNodeOptions { NodeName = "disposable", ImageArchives = [shared.ImageArchive] });
        var (ns, directory) = (node.Namespace.Name, node.Directory);
        var marker = E2e.Unique("teardown-marker");
        string? ip = null;
        try
        {
            var pod = new PodBuilder(node, "left-running").EmptyDir("mem", "/mem", medium: "Memory").Container("c", $"while true; do sleep 1; done # {marker}");
            await node.CreatePodAsync(pod);
            ip = E2e.PodIp(await node.WaitRunningAsync(pod));
            Assert.Single(E2e.ProcessesWith(marker));
        }
        finally
        {
            await node.DisposeAsync();
        }

        Assert.NotNull(ip);
        AssertNothingLeft(ns, directory, marker);
        // Pod network namespaces (cni-…) the node's containerd made are gone too (other tests running
        // beside may add their own, so only those that are new and still here count).
        Assert.DoesNotContain(NetworkNamespaces.List().Except(before), n => n.StartsWith("cni-", StringComparison.Ordinal));
    }

    internal static void AssertNothingLeft(string ns, string directory, string? marker)
    {
        Assert.DoesNotContain(ns, NetworkNamespaces.List());
        Assert.Empty(NodeTeardown.MountsUnder(directory));
        Assert.Empty(E2e.ProcessesWith(directory));
        if (marker is not null)
        {
            Assert.Empty(E2e.ProcessesWith(marker));
        }

        Assert.False(Directory.Exists(directory), directory + " deleted");
    }
}
