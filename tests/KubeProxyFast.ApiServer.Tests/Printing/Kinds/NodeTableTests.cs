using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Tests.Printing.Kinds;

public sealed class NodeTableTests
{
    private static Node Node(string? ready, bool unschedulable = false) => new()
    {
        Metadata = new()
        {
            Name = "n1",
            CreationTimestamp = Fixtures.Ago(8 * 24 * 3600),
            Labels = new() { ["node-role.kubernetes.io/worker"] = "", ["node-role.kubernetes.io/control-plane"] = "", ["kubernetes.io/role"] = "worker" },
        },
        Spec = new NodeSpec { Unschedulable = unschedulable },
        Status = new NodeStatus
        {
            Conditions = ready is null ? [] : [new NodeCondition { Type = "Ready", Status = ready }],
            Addresses = [new NodeAddress { Type = "Hostname", Address = "n1" }, new NodeAddress { Type = "InternalIP", Address = "198.18.101.10" }],
            NodeInfo = new NodeSystemInfo { KubeletVersion = "v1.20.2", OsImage = "Debian GNU/Linux 12 (bookworm)", KernelVersion = "6.1.0-18-amd64" },
        },
    };

    [Fact]
    public void Print_ReadyNode_AllCells()
    {
        var table = Fixtures.Printer().Print("nodes", [Node("True")], new());

        Assert.Equal(
            ["Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"],
            table.ColumnDefinitions.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], table.ColumnDefinitions.Select(c => c.Priority));
        Assert.Equal(
            ["n1", "Ready", "control-plane,worker", "8d", "v1.20.2", "198.18.101.10", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64", "<unknown>"],
            table.Rows[0].Cells);
    }

    [Theory]
    [InlineData("True", false, "Ready")]
    [InlineData("False", false, "NotReady")]
    [InlineData("Unknown", false, "NotReady")]
    [InlineData(null, false, "Unknown")]
    [InlineData("True", true, "Ready,SchedulingDisabled")]
    public void Print_Conditions_Status(string? ready, bool unschedulable, string expected)
    {
        Assert.Equal(expected, Fixtures.Printer().Print("nodes", [Node(ready, unschedulable)], new()).Rows[0].Cells[1]);
    }

    [Fact]
    public void Print_NoRoleLabels_None()
    {
        var node = Node("True");
        node.Metadata.Labels = null;

        Assert.Equal("<none>", Fixtures.Printer().Print("nodes", [node], new()).Rows[0].Cells[2]);
    }
}
