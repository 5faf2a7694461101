using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using KubeProxyFast.Kubelet.Tests.EndToEnd.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd;

[Collection(SharedNodeGroup.Name)]
public sealed class NodeRegistrationTests(SharedNode shared)
{
    [Fact]
    public async Task Kubelet_Started_NodeRegistersReadyWithAddressesLabelsCapacityAndLease()
    {
        var node = shared.Node;
        var n = await node.GetAsync($"/api/v1/nodes/{node.Name}");

        Assert.Equal("True", KubeletNode.ConditionOf(n, "Ready"));
        var addresses = n["status"]!["addresses"]!.AsArray().Select(a => ((string?)a!["type"], (string?)a["address"])).ToList();
        Assert.Contains(("InternalIP", node.Address), addresses);
        Assert.Contains(addresses, a => a.Item1 == "Hostname");
        var labels = n["metadata"]!["labels"]!;
        Assert.Equal(node.Name, (string?)labels["kubernetes.io/hostname"]);
        Assert.Equal("linux", (string?)labels["kubernetes.io/os"]);
        Assert.Equal(RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64", (string?)labels["kubernetes.io/arch"]);
        Assert.Equal("110", (string?)n["status"]!["capacity"]!["pods"]);
        Assert.Equal(Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), (string?)n["status"]!["capacity"]!["cpu"]);
        Assert.StartsWith("containerd://", (string?)n["status"]!["nodeInfo"]!["containerRuntimeVersion"], StringComparison.Ordinal);
        var podCidr = IPNetwork.Parse((string)n["spec"]!["podCIDR"]!);
        Assert.True(IPNetwork.Parse(node.Options.ClusterCidr).Contains(podCidr.BaseAddress), $"pod CIDR {podCidr} is cut from {node.Options.ClusterCidr}");

        var lease = await node.GetAsync($"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{node.Name}");
        Assert.Equal(node.Name, (string?)lease["spec"]!["holderIdentity"]);
    }

    [Fact]
    public async Task Pod_WithoutNodeName_IsScheduledToTheReadyNodeAndRuns()
    {
        var node = shared.Node;
        var pod = new PodBuilder(node, E2e.Unique("scheduled")).Unbound().Container("c", "exec sleep 3600");
        await node.CreatePodAsync(pod);
        try
        {
            var running = await node.WaitRunningAsync(pod);

            Assert.Equal(node.Name, (string?)running["spec"]!["nodeName"]);
            Assert.Equal(node.Address, (string?)running["status"]!["hostIP"]);
            var podIp = IPAddress.Parse(E2e.PodIp(running)!);
            var podCidr = IPNetwork.Parse((string)(await node.GetAsync($"/api/v1/nodes/{node.Name}"))["spec"]!["podCIDR"]!);
            Assert.True(podCidr.Contains(podIp), $"pod IP {podIp} is in the node's pod CIDR {podCidr}");
            Assert.Equal("True", KubeletNode.ConditionOf(running, "PodScheduled"));
            Assert.Equal("True", KubeletNode.ConditionOf(running, "Initialized"));
            Assert.Equal("True", KubeletNode.ConditionOf(running, "ContainersReady"));
            Assert.Equal("True", KubeletNode.ConditionOf(running, "Ready"));
            Assert.NotNull(running["status"]!["startTime"]);
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
        }
    }
}
