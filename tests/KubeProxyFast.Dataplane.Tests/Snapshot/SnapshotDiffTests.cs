using System.Net;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Dataplane.Tests.Support;

namespace KubeProxyFast.Dataplane.Tests.Snapshot;

public sealed class SnapshotDiffTests
{
    private static readonly IPEndPoint E1 = IPEndPoint.Parse("198.18.1.1:8080");
    private static readonly IPEndPoint E2 = IPEndPoint.Parse("198.18.1.2:8080");

    private static ServicePortSpec Port(string name, params IPEndPoint[] endpoints) =>
        Specs.Tcp(name, IPEndPoint.Parse("198.18.0.10:80"), endpoints);

    [Fact]
    public void Compute_AddedRemovedChangedUnchanged_AreSeparated()
    {
        var before = new ProxySnapshot([Port("a", E1), Port("b", E1), Port("c", E1)]);
        var after = new ProxySnapshot([Port("b", E1), Port("c", E1, E2), Port("d", E2)]);

        var diff = SnapshotDiff.Compute(before, after);

        Assert.Equal(["d"], diff.Added.Select(p => p.Id.Name));
        Assert.Equal(["a"], diff.Removed.Select(p => p.Id.Name));
        Assert.Equal(["c"], diff.Changed.Select(c => c.New.Id.Name));
        Assert.False(diff.IsEmpty);
    }

    [Fact]
    public void Compute_EqualContentInNewObjects_IsEmpty()
    {
        var diff = SnapshotDiff.Compute(new ProxySnapshot([Port("a", E1, E2)]), new ProxySnapshot([Port("a", E1, E2)]));

        Assert.True(diff.IsEmpty);
    }

    [Fact]
    public void Equals_DiffersOnlyInAffinityOrExternalIPs_IsAChange()
    {
        var basePort = Port("a", E1);

        Assert.NotEqual(basePort, basePort with { Affinity = SessionAffinity.ForClientIP(TimeSpan.FromSeconds(60)) });
        Assert.NotEqual(basePort, basePort with { ExternalIPs = [IPAddress.Parse("198.19.0.1")] });
        Assert.NotEqual(basePort, basePort with { NodePort = 30080 });
        Assert.Equal(basePort, basePort with { Endpoints = [E1] });
    }

    [Fact]
    public void Constructor_DuplicateId_IsRejectedNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => new ProxySnapshot([Port("a", E1), Port("a", E2)]));

        Assert.Contains("default/a:http appears twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ports_AreSortedById()
    {
        var snapshot = new ProxySnapshot([Port("c"), Port("a"), Port("b")]);

        Assert.Equal(["a", "b", "c"], snapshot.Ports.Select(p => p.Id.Name));
        Assert.NotNull(snapshot.Find(new ServicePortId("default", "b", "http")));
        Assert.Null(snapshot.Find(new ServicePortId("default", "z", "http")));
    }
}
