using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Printing;

namespace KubeProxyFast.ApiServer.Tests.Printing.Kinds;

public sealed class ServiceTableTests
{
    private static IReadOnlyList<object> Cells(ServiceSpec spec, ServiceStatus? status = null) =>
        Fixtures.Printer().Print("services", [new Service
        {
            Metadata = new ObjectMeta { Name = "web", CreationTimestamp = Fixtures.Ago(51 * 3600) },
            Spec = spec,
            Status = status,
        }], new TablePrintOptions()).Rows[0].Cells;

    [Fact]
    public void Print_Columns_MatchKubernetes()
    {
        var columns = Fixtures.Printer().Print("services", [], new TablePrintOptions()).ColumnDefinitions;

        Assert.Equal(["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"], columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 0, 0, 1], columns.Select(c => c.Priority));
    }

    [Fact]
    public void Print_ClusterIP_PortsAndSortedSelector()
    {
        var spec = new ServiceSpec
        {
            Type = "ClusterIP", ClusterIP = "198.19.0.10", ClusterIPs = ["198.19.0.10"],
            Ports = [new ServicePort { Port = 80, Protocol = "TCP" }, new ServicePort { Port = 53, Protocol = "UDP" }],
            Selector = new() { ["tier"] = "front", ["app"] = "web" },
        };

        Assert.Equal(["web", "ClusterIP", "198.19.0.10", "<none>", "80/TCP,53/UDP", "2d3h", "app=web,tier=front"], Cells(spec));
    }

    [Fact]
    public void Print_NodePort_ShowsNodePortAndExternalIPs()
    {
        var spec = new ServiceSpec
        {
            Type = "NodePort", ClusterIP = "198.19.0.11", ExternalIPs = ["192.0.2.1", "192.0.2.2"],
            Ports = [new ServicePort { Port = 80, NodePort = 30080 }],
        };

        var cells = Cells(spec);

        Assert.Equal("192.0.2.1,192.0.2.2", cells[3]);
        Assert.Equal("80:30080/TCP", cells[4]);
        Assert.Equal("<none>", cells[6]);
    }

    [Fact]
    public void Print_LoadBalancerWithoutIngress_Pending()
    {
        Assert.Equal("<pending>", Cells(new ServiceSpec { Type = "LoadBalancer", ClusterIP = "198.19.0.12" })[3]);
    }

    [Fact]
    public void Print_LoadBalancerWithIngress_IngressThenExternalIPs()
    {
        var status = new ServiceStatus
        {
            LoadBalancer = new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { Ip = "203.0.113.1" }, new LoadBalancerIngress { Hostname = "lb.example" }] },
        };

        Assert.Equal("203.0.113.1,lb.example,192.0.2.9", Cells(new ServiceSpec { Type = "LoadBalancer", ExternalIPs = ["192.0.2.9"] }, status)[3]);
    }

    [Fact]
    public void Print_ExternalName_ShowsName()
    {
        var spec = new ServiceSpec
        {
            Type = "ExternalName",
            ExternalName = "db.example",
        };

        var cells = Cells(spec);

        Assert.Equal("<none>", cells[2]);
        Assert.Equal("db.example", cells[3]);
        Assert.Equal("<none>", cells[4]);
    }
}
