using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Tests.Printing.Kinds;

public sealed class ReplicationControllerTableTests
{
    [Fact]
    public void Print_Rc_CountsAndWideTemplateCells()
    {
        var rc = new ReplicationController
        {
            Metadata = new() { Name = "web", CreationTimestamp = Fixtures.Ago(600) },
            Spec = new ReplicationControllerSpec
            {
                Replicas = 3,
                Selector = new() { ["app"] = "web" },
                Template = new PodTemplateSpec
                {
                    Spec = new PodSpec { Containers = [new Container { Name = "web", Image = "nginx:1.25" }, new Container { Name = "log", Image = "busybox" }] },
                },
            },
            Status = new ReplicationControllerStatus { Replicas = 2, ReadyReplicas = 1 },
        };

        var table = Fixtures.Printer().Print("replicationcontrollers", [rc], new());

        Assert.Equal(["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"], table.ColumnDefinitions.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], table.ColumnDefinitions.Select(c => c.Priority));
        Assert.Equal(["web", 3L, 2L, 1L, "10m", "web,log", "nginx:1.25,busybox", "app=web"], table.Rows[0].Cells);
    }

    [Fact]
    public void Print_NoStatus_ZeroesAndDefaultReplicas()
    {
        var rc = new ReplicationController { Metadata = new() { Name = "web" } };

        Assert.Equal(["web", 1L, 0L, 0L, "<unknown>", "", "", "<none>"], Fixtures.Printer().Print("replicationcontrollers", [rc], new()).Rows[0].Cells);
    }
}
