using System.Text;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Watch;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Tests.Watch;

public sealed class DecodedObjectsTests
{
    private static StoreValue Value(long revision, string name) =>
        new("/registry/pods/default/" + name, Encoding.UTF8.GetBytes("""{"kind":"Pod","apiVersion":"v1","metadata":{"name":""" + "\"" + name + "\"" + ""","namespace":"default"}}"""), revision, 2);

    [Fact]
    public void Get_SameRevision_DecodesOnce()
    {
        var objects = new DecodedObjects(Resources.Pods);

        var first = objects.Get(Value(5, "a"));
        var second = objects.Get(Value(5, "a"));

        Assert.Same(first, second);
        Assert.Equal("5", first.Metadata.ResourceVersion);
    }

    [Fact]
    public void Get_NewRevision_DecodesAgainAndReplaces()
    {
        var objects = new DecodedObjects(Resources.Pods);

        var old = objects.Get(Value(5, "a"));
        var current = objects.Get(Value(6, "a"));

        Assert.NotSame(old, current);
        Assert.Equal("6", current.Metadata.ResourceVersion);
        Assert.Equal(1, objects.Count);
    }

    [Fact]
    public void Evict_RemovesTheEntry()
    {
        var objects = new DecodedObjects(Resources.Pods);
        var first = objects.Get(Value(5, "a"));

        objects.Evict("/registry/pods/default/a");

        Assert.Equal(0, objects.Count);
        Assert.NotSame(first, objects.Get(Value(5, "a")));
    }
}
