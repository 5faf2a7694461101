using System.Collections.Immutable;
using System.Net;
using KubeProxyFast.Dataplane.Balancing;

namespace KubeProxyFast.Dataplane.Tests.Balancing;

public class EndpointSetTests
{
    [Fact]
    public void Constructor_Endpoints_KeepsOrderAndIndexes()
    {
        var set = TestEndpoints.Set("198.18.0.3:80", "198.18.0.1:80", "198.18.0.2:80");

        Assert.Equal(3, set.Count);
        Assert.False(set.IsEmpty);
        Assert.Equal(IPEndPoint.Parse("198.18.0.3:80"), set[0].EndPoint);
        Assert.Equal(IPEndPoint.Parse("198.18.0.1:80"), set[1].EndPoint);
        Assert.Equal(IPEndPoint.Parse("198.18.0.2:80"), set[2].EndPoint);
        for (var i = 0; i < set.Count; i++)
        {
            Assert.Equal(i, set[i].Index);
        }
    }

    [Fact]
    public void Empty_HasNoEndpoints()
    {
        Assert.True(EndpointSet.Empty.IsEmpty);
        Assert.Equal(0, EndpointSet.Empty.Count);
        Assert.True(new EndpointSet(default).IsEmpty);
        Assert.False(EndpointSet.Empty.TryFind(IPEndPoint.Parse("198.18.0.1:80"), out _));
    }

    [Theory]
    [InlineData(3)] // linear scan
    [InlineData(40)] // dictionary
    public void TryFind_PresentEndPoint_ReturnsThisSetsInstance(int count)
    {
        var set = TestEndpoints.Set(count);

        for (var i = 0; i < count; i++)
        {
            Assert.True(set.TryFind(TestEndpoints.EndPoint(i + 1), out var found));
            Assert.Same(set[i], found);
        }

        Assert.False(set.TryFind(TestEndpoints.EndPoint(count + 1), out var missing));
        Assert.Null(missing);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void TryFind_EndpointOfOtherSet_ResolvesToThisSetsInstanceAndIndex(int count)
    {
        var old = TestEndpoints.Set(count);

        // The new set drops the first endpoint, so every surviving endpoint moves down one index.
        var shifted = new EndpointSet(old.AsSpan()[1..].ToArray().Select(e => e.EndPoint).ToImmutableArray());

        Assert.False(shifted.TryFind(old[0], out _));
        for (var i = 1; i < count; i++)
        {
            Assert.True(shifted.TryFind(old[i], out var found));
            Assert.Same(shifted[i - 1], found);
            Assert.Equal(i - 1, found.Index);
        }
    }

    [Fact]
    public void Constructor_WithPrevious_ReusesInstancesAtSameIndex()
    {
        var old = TestEndpoints.Set(3);
        var grown = TestEndpoints.Set(4, previous: old);
        var reordered = TestEndpoints.Set("198.18.0.2:8080", "198.18.0.1:8080");
        var afterReorder = new EndpointSet([old[1].EndPoint, old[0].EndPoint], previous: old);

        Assert.Same(old[0], grown[0]);
        Assert.Same(old[2], grown[2]);
        Assert.Equal(3, grown[3].Index);

        // Moved endpoints get new instances carrying their new index.
        Assert.NotSame(old[1], afterReorder[0]);
        Assert.Equal(0, afterReorder[0].Index);
        Assert.Equal(reordered[0], afterReorder[0]);
    }

    [Fact]
    public void Constructor_DuplicateEndPoint_Throws()
    {
        Assert.Throws<ArgumentException>(() => TestEndpoints.Set("198.18.0.1:80", "198.18.0.2:80", "198.18.0.1:80"));
        var many = Enumerable.Range(1, 20).Select(TestEndpoints.EndPoint).Append(TestEndpoints.EndPoint(5)).ToImmutableArray();
        Assert.Throws<ArgumentException>(() => new EndpointSet(many));
    }

    [Fact]
    public void Constructor_NullEndPoint_Throws()
    {
        var endpoints = ImmutableArray.Create(IPEndPoint.Parse("198.18.0.1:80"), (IPEndPoint)null!);

        Assert.Throws<ArgumentException>(() => new EndpointSet(endpoints));
    }
}
