using System.Text;
using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Watch;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Tests.Watch;

public sealed class DecodedObjectsTests
{
    private const string KeyA = "/registry/pods/default/a";

    private static StoreValue Value(long revision, string name) =>
        new("/registry/pods/default/" + name, Encoding.UTF8.GetBytes("""{"kind":"Pod","apiVersion":"v1","metadata":{"name":""" + "\"" + name + "\"" + ""","namespace":"default"}}"""), revision, 2);

    /// <summary>A cache whose watch started at revision 1, as the watch cache starts it.</summary>
    private static DecodedObjects Started()
    {
        var objects = new DecodedObjects(Resources.Pods);
        objects.Start(1);
        return objects;
    }

    [Fact]
    public void Get_SameRevision_DecodesOnce()
    {
        var objects = Started();

        var first = objects.Get(Value(5, "a"), 5);
        var second = objects.Get(Value(5, "a"), 5);

        Assert.Same(first, second);
        Assert.Equal("5", first.Metadata.ResourceVersion);
    }

    [Fact]
    public void Get_NewRevision_DecodesAgainAndReplaces()
    {
        var objects = Started();

        var old = objects.Get(Value(5, "a"), 5);
        var current = objects.Get(Value(6, "a"), 6);

        Assert.NotSame(old, current);
        Assert.Equal("6", current.Metadata.ResourceVersion);
        Assert.Equal(1, objects.Count);
    }

    [Fact]
    public void Changed_RemovesTheEntry()
    {
        var objects = Started();
        var first = objects.Get(Value(5, "a"), 5);

        objects.Changed(KeyA, 6);

        Assert.Equal(0, objects.Count);
        Assert.NotSame(first, objects.Get(Value(5, "a"), 5));
    }

    [Fact]
    public void Get_ListReadBeforeADeleteTheWatchAlreadyReported_CachesNothing()
    {
        var objects = Started();
        // A list reads "a" at revision 7; the delete at 8 reaches the watch cache before the list decodes "a".
        objects.Changed(KeyA, 8);

        var decoded = objects.Get(Value(5, "a"), 7);

        Assert.Equal("5", decoded.Metadata.ResourceVersion);
        // Before the fix the entry stayed until the key was created again: nothing evicts a deleted key.
        Assert.Equal(0, objects.Count);
    }

    [Fact]
    public void Get_ListReadAfterTheKeyChanged_IsCached()
    {
        var objects = Started();
        objects.Changed(KeyA, 8);

        var first = objects.Get(Value(8, "a"), 9);

        Assert.Same(first, objects.Get(Value(8, "a"), 9));
    }

    [Fact]
    public void Get_OlderRevisionThanTheEntry_KeepsTheNewerEntry()
    {
        var objects = Started();
        var current = objects.Get(Value(6, "a"), 9);

        objects.Get(Value(5, "a"), 5);

        Assert.Same(current, objects.Get(Value(6, "a"), 9));
    }

    [Fact]
    public void Get_ReadBeforeTheRememberedChanges_CachesNothing()
    {
        var objects = Started();
        for (var i = 0; i <= DecodedObjects.RecentChangesKept; i++)
        {
            objects.Changed("/registry/pods/default/other" + i, 10 + i);
        }

        // The change of revision 10 is forgotten, so a list read at 9 cannot know whether "a" changed after it.
        objects.Get(Value(5, "a"), 9);
        objects.Get(Value(5, "b"), 10);

        Assert.Equal(1, objects.Count);
    }

    [Fact]
    public void Get_WatchNotRunning_CachesNothing()
    {
        var objects = Started();
        objects.Stop();

        objects.Get(Value(5, "a"), 5);

        Assert.Equal(0, objects.Count);
    }

    private static byte[] Transcoded(StoreValue value)
    {
        using var output = new ProtoOutput();
        JsonToProto.Write(value.Value.Span, ProtoKinds.Find("v1", "Pod")!, output, value.ModRevision);
        return output.Written.ToArray();
    }

    [Fact]
    public void Encoded_SameRevision_TranscodesOnceAndEqualsAFreshTranscode()
    {
        var objects = Started();
        var pod = ProtoKinds.Find("v1", "Pod")!;

        var first = objects.Encoded(Value(5, "a"), 5, pod);
        var second = objects.Encoded(Value(5, "a"), 5, pod);

        Assert.Same(first, second);
        Assert.Equal(Transcoded(Value(5, "a")), first);
        Assert.Equal((1, (long)first.Length), objects.EncodedHeld);
    }

    [Fact]
    public void Encoded_AfterUpdate_EqualsAFreshTranscodeOfTheNewRevision()
    {
        var objects = Started();
        var pod = ProtoKinds.Find("v1", "Pod")!;
        objects.Encoded(Value(5, "a"), 5, pod);

        objects.Changed(KeyA, 6);
        var updated = objects.Encoded(Value(6, "a"), 6, pod);

        Assert.Equal(Transcoded(Value(6, "a")), updated);
        Assert.Same(updated, objects.Encoded(Value(6, "a"), 7, pod));
        Assert.Equal((1, (long)updated.Length), objects.EncodedHeld);
    }

    [Fact]
    public void Encoded_DeleteAndRecreateWithTheSameName_EqualsAFreshTranscodeOfTheNewObject()
    {
        var objects = Started();
        var pod = ProtoKinds.Find("v1", "Pod")!;
        objects.Encoded(Value(5, "a"), 5, pod);

        objects.Changed(KeyA, 6);
        Assert.Equal((0, 0L), objects.EncodedHeld);
        objects.Changed(KeyA, 7);
        var recreated = objects.Encoded(Value(7, "a"), 7, pod);

        Assert.Equal(Transcoded(Value(7, "a")), recreated);
        Assert.NotEqual(Transcoded(Value(5, "a")), recreated);
    }

    [Fact]
    public void Encoded_ListReadBeforeADeleteTheWatchAlreadyReported_CachesNothing()
    {
        var objects = Started();
        objects.Changed(KeyA, 8);

        var encoded = objects.Encoded(Value(5, "a"), 7, ProtoKinds.Find("v1", "Pod")!);

        Assert.Equal(Transcoded(Value(5, "a")), encoded);
        Assert.Equal((0, 0L), objects.EncodedHeld);
    }
}
