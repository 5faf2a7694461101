using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Printing.Kinds;

namespace KubeProxyFast.ApiServer.Tests.Printing.Kinds;

public sealed class EndpointsTableTests
{
    private static EndpointAddress Address(string ip) => new() { Ip = ip };

    [Fact]
    public void Format_NoSubsets_None()
    {
        Assert.Equal("<none>", EndpointsTable.Format(null));
        Assert.Equal("<none>", EndpointsTable.Format([]));
    }

    [Fact]
    public void Format_SubsetWithoutAddresses_Empty()
    {
        Assert.Equal("", EndpointsTable.Format([new EndpointSubset { Ports = [new EndpointPort { Port = 80 }] }]));
    }

    [Fact]
    public void Format_AddressesAndPorts_HostPortPairs()
    {
        var subset = new EndpointSubset { Addresses = [Address("198.18.0.1"), Address("fd00::2")], Ports = [new EndpointPort { Port = 8080 }] };

        Assert.Equal("198.18.0.1:8080,[fd00::2]:8080", EndpointsTable.Format([subset]));
    }

    [Fact]
    public void Format_NoPorts_BareAddresses()
    {
        Assert.Equal("198.18.0.1,198.18.0.2", EndpointsTable.Format([new EndpointSubset { Addresses = [Address("198.18.0.1"), Address("198.18.0.2")] }]));
    }

    [Fact]
    public void Format_MoreThanThree_CountsTheRest()
    {
        var subset = new EndpointSubset
        {
            Addresses = [Address("198.18.0.1"), Address("198.18.0.2"), Address("198.18.0.3")],
            Ports = [new EndpointPort { Port = 80 }, new EndpointPort { Port = 443 }],
        };

        Assert.Equal("198.18.0.1:80,198.18.0.2:80,198.18.0.3:80 + 3 more...", EndpointsTable.Format([subset]));
    }

    [Fact]
    public void Print_Row_NameEndpointsAge()
    {
        var endpoints = new Endpoints
        {
            Metadata = new() { Name = "web", CreationTimestamp = Fixtures.Ago(5) },
            Subsets = [new EndpointSubset { Addresses = [Address("198.18.0.1")], Ports = [new EndpointPort { Port = 80 }] }],
        };

        var table = Fixtures.Printer().Print("endpoints", [endpoints], new());

        Assert.Equal(["Name", "Endpoints", "Age"], table.ColumnDefinitions.Select(c => c.Name));
        Assert.Equal(["web", "198.18.0.1:80", "5s"], table.Rows[0].Cells);
    }
}
