using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Client;
using KubeProxyFast.Kubelet.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using V1Node = KubeProxyFast.Api.Core.Node;

namespace KubeProxyFast.Kubelet.Tests.Nodes;

public sealed class NodeRegistrationTests : NodeApiTestBase
{
    private NodeRegistration Registration(NodeDescription? description = null) =>
        new(Client, description ?? Description(), TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task RegisterAsync_NoNode_CreatesItWithEverythingTheKubeletReports()
    {
        await Registration().RegisterAsync(CancellationToken.None);

        var node = await Client.GetAsync<V1Node>(null, NodeName);
        var labels = node.Metadata.Labels!;
        Assert.Equal(NodeName, labels["kubernetes.io/hostname"]);
        Assert.Equal("linux", labels["kubernetes.io/os"]);
        Assert.Equal("arm64", labels["kubernetes.io/arch"]);
        Assert.Equal("linux", labels["beta.kubernetes.io/os"]);
        Assert.Equal("arm64", labels["beta.kubernetes.io/arch"]);
        Assert.Equal("edge", labels["tier"]);
        var taint = Assert.Single(node.Spec!.Taints!);
        Assert.Equal(("dedicated", "infra", "NoSchedule"), (taint.Key, taint.Value, taint.Effect));

        var status = node.Status!;
        Assert.Equal(
            [(NodeAddressTypes.InternalIP, "198.18.0.2"), (NodeAddressTypes.Hostname, NodeName)],
            status.Addresses!.Select(a => (a.Type, a.Address)));
        Assert.Equal("4", status.Capacity!["cpu"].ToString());
        Assert.Equal("8Gi", status.Capacity["memory"].ToString());
        Assert.Equal("50", status.Capacity["pods"].ToString());
        Assert.Equal("100Gi", status.Capacity["ephemeral-storage"].ToString());
        Assert.Equal("3500m", status.Allocatable!["cpu"].ToString());
        Assert.Equal("7Gi", status.Allocatable["memory"].ToString());
        Assert.Equal("50", status.Allocatable["pods"].ToString());
        Assert.Equal("100Gi", status.Allocatable["ephemeral-storage"].ToString());

        var info = status.NodeInfo!;
        Assert.Equal("6.1.0-test", info.KernelVersion);
        Assert.Equal("Test Linux 1", info.OsImage);
        Assert.Equal("containerd://1.7.24", info.ContainerRuntimeVersion);
        Assert.StartsWith("v1.32.0+kpf.", info.KubeletVersion, StringComparison.Ordinal);
        Assert.Equal(("linux", "arm64", "m-1", "b-1"), (info.OperatingSystem, info.Architecture, info.MachineID, info.BootID));
    }

    [Fact]
    public async Task RegisterAsync_NodeExists_KeepsPodCidrAndOthersTaintsAndFixesOurLabels()
    {
        await Registration().RegisterAsync(CancellationToken.None);
        // IPAM gives the node its range; the node controller and an operator taint it and label it.
        await Client.PatchAsync<V1Node>(null, NodeName, PatchType.Merge,
            """{"metadata":{"labels":{"kubernetes.io/arch":"wrong","team":"blue"}},"spec":{"podCIDR":"198.18.4.0/24","podCIDRs":["198.18.4.0/24"],"taints":[{"key":"node.kubernetes.io/not-ready","effect":"NoSchedule"}]}}""");

        var again = await Registration().RegisterAsync(CancellationToken.None);

        var node = await Client.GetAsync<V1Node>(null, NodeName);
        Assert.Equal(again.Metadata.ResourceVersion, node.Metadata.ResourceVersion);
        Assert.Equal("198.18.4.0/24", node.Spec!.PodCIDR);
        Assert.Equal(["198.18.4.0/24"], node.Spec.PodCIDRs!);
        Assert.Equal(["node.kubernetes.io/not-ready"], node.Spec.Taints!.Select(t => t.Key));
        Assert.Equal("arm64", node.Metadata.Labels!["kubernetes.io/arch"]);
        Assert.Equal("blue", node.Metadata.Labels["team"]);
    }

    [Fact]
    public async Task TryRegisterAsync_NodeExistsWithOurLabels_WritesNothing()
    {
        var first = await Registration().TryRegisterAsync(CancellationToken.None);

        var second = await Registration().TryRegisterAsync(CancellationToken.None);

        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task RegisterAsync_NodeTheApiserverRefuses_ThrowsRatherThanRetrying()
    {
        var bad = Description() with { NodeName = "Not_A_Name" };
        var e = await Assert.ThrowsAsync<KubeApiException>(() => Registration(bad).RegisterAsync(CancellationToken.None));
        Assert.True(e.IsInvalid);
    }

    [Fact]
    public void Build_SystemReservedAboveCapacity_LeavesZero()
    {
        var description = Description(Options with
        {
            SystemReserved = new Dictionary<string, Quantity> { ["cpu"] = Quantity.Parse("8"), ["hugepages-2Mi"] = Quantity.Parse("1Gi") },
        });
        Assert.Equal("0", description.Allocatable["cpu"].ToString());
        Assert.False(description.Allocatable.ContainsKey("hugepages-2Mi"));
    }

    [Fact]
    public void Build_NoNodeIp_UsesAnAddressOfTheMachine()
    {
        var description = Description(Options with { NodeIp = null });
        var internalIp = description.Addresses.Single(a => a.Type == NodeAddressTypes.InternalIP).Address;
        Assert.True(System.Net.IPAddress.TryParse(internalIp, out var address));
        Assert.False(System.Net.IPAddress.IsLoopback(address));
    }
}
