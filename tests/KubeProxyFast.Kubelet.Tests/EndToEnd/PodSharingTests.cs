using System.Text.Json.Nodes;
using KubeProxyFast.Kubelet.Tests.EndToEnd.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd;

/// <summary>What a pod's containers share: the network (localhost), the host name (the pod's name), IPC (/dev/shm and the namespace) and volumes.</summary>
[Collection(SharedNodeGroup.Name)]
public sealed class PodSharingTests(SharedNode shared)
{
    [Fact]
    public async Task TwoContainers_SameNetworkUtsAndIpc_ReachEachOtherOnLocalhostAndShareShm()
    {
        var node = shared.Node;
        var pod = new PodBuilder(node, E2e.Unique("sharing"))
            .Container("server", E2e.Put +
                "echo hello-from-server > /tmp/index.html; echo shm-token > /dev/shm/token; " +
                "readlink /proc/self/ns/ipc | put server-ipc; readlink /proc/self/ns/uts | put server-uts; " +
                "readlink /proc/self/ns/net | put server-net; hostname | put server-hostname; " +
                "exec httpd -f -p 127.0.0.1:8080 -h /tmp")
            .Container("client", E2e.Put +
                "until wget -q -O /tmp/got http://127.0.0.1:8080/index.html; do sleep 0.2; done; cat /tmp/got | put fetched; " +
                "until [ -f /dev/shm/token ]; do sleep 0.2; done; cat /dev/shm/token | put shm; " +
                "readlink /proc/self/ns/ipc | put client-ipc; readlink /proc/self/ns/uts | put client-uts; " +
                "readlink /proc/self/ns/net | put client-net; hostname | put client-hostname; exec sleep 3600");
        await node.CreatePodAsync(pod);
        try
        {
            await node.WaitRunningAsync(pod);

            Assert.Equal("hello-from-server\n", await node.ReadOutAsync(pod, "fetched"));
            Assert.Equal("shm-token\n", await node.ReadOutAsync(pod, "shm"));
            Assert.Equal(pod.Name + "\n", await node.ReadOutAsync(pod, "server-hostname"));
            Assert.Equal(pod.Name + "\n", await node.ReadOutAsync(pod, "client-hostname"));
            foreach (var ns in (string[])["ipc", "uts", "net"])
            {
                var server = await node.ReadOutAsync(pod, "server-" + ns);
                Assert.Equal(server, await node.ReadOutAsync(pod, "client-" + ns));
                Assert.NotEqual(new FileInfo($"/proc/self/ns/{ns}").LinkTarget + "\n", server);
            }

            Assert.NotEqual(NodeTeardown.NetnsLinkOf(node.Namespace) + "\n", await node.ReadOutAsync(pod, "server-net"));
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
        }
    }

    [Fact]
    public async Task EmptyDir_DiskAndMemory_SeenByBothContainers()
    {
        var node = shared.Node;
        var pod = new PodBuilder(node, E2e.Unique("emptydir"))
            .EmptyDir("cache", "/cache")
            .Container("writer", "echo on-disk > /cache/data; exec sleep 3600")
            .Container("reader", E2e.Put + "until [ -f /cache/data ]; do sleep 0.2; done; cat /cache/data | put seen; exec sleep 3600");
        var memory = new PodBuilder(node, E2e.Unique("emptydir-mem"))
            .EmptyDir("mem", "/mem", medium: "Memory")
            .Container("writer", "echo in-memory > /mem/data; exec sleep 3600")
            .Container("reader", E2e.Put + "until [ -f /mem/data ]; do sleep 0.2; done; cat /mem/data | put seen; grep ' /mem ' /proc/mounts | put mount; exec sleep 3600");
        await node.CreatePodAsync(pod);
        await node.CreatePodAsync(memory);
        try
        {
            Assert.Equal("on-disk\n", await node.ReadOutAsync(pod, "seen"));
            Assert.Equal("in-memory\n", await node.ReadOutAsync(memory, "seen"));
            Assert.StartsWith("tmpfs /mem ", await node.ReadOutAsync(memory, "mount"), StringComparison.Ordinal);
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
            await node.DeleteAsync(memory.PodPath, 0);
        }
    }

    [Fact]
    public async Task ResolvConf_ClusterFirstAndNone_AsKubernetesWritesThem()
    {
        var node = shared.Node;
        var first = new PodBuilder(node, E2e.Unique("dns-first")).Container("c", E2e.Put + "cat /etc/resolv.conf | put resolv; exec sleep 3600");
        var none = new PodBuilder(node, E2e.Unique("dns-none"))
            .Spec(spec =>
            {
                spec["dnsPolicy"] = "None";
                spec["dnsConfig"] = JsonNode.Parse("""
                    {"nameservers": ["198.19.0.53"], "searches": ["apps.example"], "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}]}
                    """);
            })
            .Container("c", E2e.Put + "cat /etc/resolv.conf | put resolv; exec sleep 3600");
        await node.CreatePodAsync(first);
        await node.CreatePodAsync(none);
        try
        {
            Assert.Equal(
                ["nameserver 198.19.0.10", "options ndots:5", "search default.svc.cluster.local svc.cluster.local cluster.local"],
                Lines(await node.ReadOutAsync(first, "resolv")));
            Assert.Equal(
                ["nameserver 198.19.0.53", "options ndots:2 edns0", "search apps.example"],
                Lines(await node.ReadOutAsync(none, "resolv")));
        }
        finally
        {
            await node.DeleteAsync(first.PodPath, 0);
            await node.DeleteAsync(none.PodPath, 0);
        }
    }

    // resolv.conf's lines, without blanks and comments, sorted: the order of its three kinds of line is free.
    private static string[] Lines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith('#')).Order(StringComparer.Ordinal)];
}
