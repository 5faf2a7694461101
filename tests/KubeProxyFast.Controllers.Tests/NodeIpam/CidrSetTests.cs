using System.Net;
using KubeProxyFast.Controllers.NodeIpam;

namespace KubeProxyFast.Controllers.Tests.NodeIpam;

public sealed class CidrSetTests
{
    [Fact]
    public void TryAllocateNext_AllTaken_FalseUntilOneIsReleased()
    {
        var set = CidrSet.Create(IPNetwork.Parse("198.18.0.0/22"), 24);
        var all = new List<IPNetwork>();
        while (set.TryAllocateNext(out var cidr))
        {
            all.Add(cidr);
        }

        Assert.Equal(["198.18.0.0/24", "198.18.1.0/24", "198.18.2.0/24", "198.18.3.0/24"], all.Select(c => c.ToString()));
        Assert.Equal(4, set.Used);

        set.Release(IPNetwork.Parse("198.18.1.0/24"));

        Assert.True(set.TryAllocateNext(out var again));
        Assert.Equal("198.18.1.0/24", again.ToString());
    }

    [Fact]
    public void TryAllocateNext_AfterARelease_ContinuesPastTheLastHandedOut()
    {
        var set = CidrSet.Create(IPNetwork.Parse("198.18.0.0/22"), 24);
        set.TryAllocateNext(out var first);
        set.Release(first);

        Assert.True(set.TryAllocateNext(out var next));

        Assert.Equal("198.18.1.0/24", next.ToString());
    }

    [Fact]
    public void Occupy_WiderOrNarrowerCidr_MarksEverySubnetItOverlaps()
    {
        var set = CidrSet.Create(IPNetwork.Parse("198.18.0.0/16"), 24);

        set.Occupy(IPNetwork.Parse("198.18.4.0/23"));
        set.Occupy(IPNetwork.Parse("198.18.9.128/25"));

        Assert.Equal(3, set.Used);
        set.Occupy(IPNetwork.Parse("198.0.0.0/8"));
        Assert.Equal(256, set.Used);
        Assert.False(set.TryAllocateNext(out _));
    }

    [Fact]
    public void Occupy_OutsideTheClusterCidr_Throws()
    {
        var set = CidrSet.Create(IPNetwork.Parse("198.18.0.0/16"), 24);

        var error = Assert.Throws<ArgumentException>(() => set.Occupy(IPNetwork.Parse("198.19.0.0/24")));

        Assert.Equal("cidr 198.19.0.0/24 is out the range of cluster cidr 198.18.0.0/16", error.Message);
    }
}
