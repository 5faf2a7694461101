using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Tests.Printing.Kinds;

public sealed class NamespaceAndEventTableTests
{
    [Fact]
    public void Print_Namespace_NameStatusAge()
    {
        var ns = new Namespace { Metadata = new() { Name = "default", CreationTimestamp = Fixtures.Ago(3 * 3600 + 60) }, Status = new() { Phase = "Active" } };

        var table = Fixtures.Printer().Print("namespaces", [ns], new());

        Assert.Equal(["Name", "Status", "Age"], table.ColumnDefinitions.Select(c => c.Name));
        Assert.Equal(["default", "Active", "3h1m"], table.Rows[0].Cells);
    }

    [Fact]
    public void Print_Event_ColumnsInKubernetesOrder()
    {
        var columns = Fixtures.Printer().Print("events", [], new()).ColumnDefinitions;

        Assert.Equal(
            ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"],
            columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 1, 1, 0, 1, 1, 1], columns.Select(c => c.Priority));
        Assert.Equal("name", columns[9].Format);
    }

    [Fact]
    public void Print_Event_Cells()
    {
        var ev = new Event
        {
            Metadata = new() { Name = "web-1.17a" },
            InvolvedObject = new ObjectReference { Kind = "Pod", Name = "web-1", FieldPath = "spec.containers{web}" },
            Reason = "Pulled",
            Message = "  Container image \"nginx\" already present on machine\n",
            Source = new EventSource { Component = "kubelet", Host = "n1" },
            FirstTimestamp = Fixtures.Ago(600),
            LastTimestamp = Fixtures.Ago(30),
            Count = 4,
            Type = "Normal",
        };

        Assert.Equal(
            ["30s", "Normal", "Pulled", "pod/web-1", "spec.containers{web}", "kubelet, n1", "Container image \"nginx\" already present on machine", "10m", 4L, "web-1.17a"],
            Fixtures.Printer().Print("events", [ev], new()).Rows[0].Cells);
    }

    [Fact]
    public void Print_SingletonEventWithEventTimeOnly_CountOneAndSameTimes()
    {
        var ev = new Event { Metadata = new() { Name = "e" }, InvolvedObject = new ObjectReference { Kind = "Node" }, EventTime = Fixtures.Ago(90) };

        var cells = Fixtures.Printer().Print("events", [ev], new()).Rows[0].Cells;

        Assert.Equal("90s", cells[0]);
        Assert.Equal("node", cells[3]);
        Assert.Equal("", cells[5]);
        Assert.Equal("90s", cells[7]);
        Assert.Equal(1L, cells[8]);
    }
}
