using KubeProxyFast.ApiServer.Patch;
using static KubeProxyFast.ApiServer.Tests.Patch.PatchJsonAssert;

namespace KubeProxyFast.ApiServer.Tests.Patch;

public sealed class StrategicMergePatchErrorTests
{
    private const string Pod = """{"metadata":{"labels":{"a":"1"}},"spec":{"containers":[{"name":"a","ports":[{"containerPort":80}]}]}}""";

    [Theory]
    [InlineData("""{"$patch":"frobnicate"}""", "strategic merge patch: unknown directive $patch: frobnicate")]
    [InlineData("""{"metadata":{"labels":{"$patch":"frobnicate"}}}""", "strategic merge patch: unknown directive $patch: frobnicate (at metadata.labels)")]
    [InlineData("""{"metadata":{"labels":{"$patch":1}}}""", "strategic merge patch: unknown directive $patch: 1 (at metadata.labels)")]
    [InlineData("""{"spec":{"containers":[{"name":"a"},{"$patch":"frobnicate","name":"b"}]}}""", "strategic merge patch: unknown directive $patch: frobnicate (at spec.containers[1])")]
    [InlineData("""{"spec":{"$frobnicate":true}}""", "strategic merge patch: unknown directive $frobnicate (at spec)")]
    [InlineData("""{"spec":{"$setElementOrder":[]}}""", "strategic merge patch: unknown directive $setElementOrder (at spec)")]
    [InlineData("""{"spec":{"$setElementOrder/containers":{"name":"a"}}}""", "strategic merge patch: $setElementOrder/containers must hold a list, not an object (at spec)")]
    [InlineData("""{"spec":{"$setElementOrder/":[]}}""", "strategic merge patch: $setElementOrder/ needs a field name after the \"/\" (at spec)")]
    [InlineData("""{"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}}""", "strategic merge patch: $deleteFromPrimitiveList/finalizers must hold a list of the values to delete, not a string (at metadata)")]
    [InlineData("""{"metadata":{"$deleteFromPrimitiveList/":["a"]}}""", "strategic merge patch: $deleteFromPrimitiveList/ needs a field name after the \"/\" (at metadata)")]
    [InlineData("""{"spec":{"$retainKeys":"containers"}}""", "strategic merge patch: $retainKeys must be a list of field names, not \"containers\" (at spec)")]
    [InlineData("""{"spec":{"$retainKeys":[1]}}""", "strategic merge patch: $retainKeys must be a list of field names, not [1] (at spec)")]
    [InlineData("""{"spec":{"containers":[{"image":"x"}]}}""", "strategic merge patch: the element has no merge key \"name\" (at spec.containers[0])")]
    [InlineData("""{"spec":{"containers":[{"name":"a","ports":[{"$patch":"delete","name":"http"}]}]}}""", "strategic merge patch: the element has no merge key \"containerPort\" (at spec.containers[0].ports[0])")]
    [InlineData("""{"spec":{"containers":["a"]}}""", "strategic merge patch: expected an object with merge key \"name\", found a string (at spec.containers[0])")]
    public void Apply_BadDirectiveOrElement_IsBadRequestNamingIt(string patch, string message)
    {
        var e = Fails(Pod, patch, PatchType.StrategicMerge);

        Assert.Equal(message, e.Message);
        Assert.Equal(PatchFailure.BadRequest, e.Failure);
    }

    [Fact]
    public void Apply_FieldOutsideRetainKeys_IsUnprocessable()
    {
        var e = Fails(
            """{"spec":{"volumes":[{"name":"v","emptyDir":{}}]}}""",
            """{"spec":{"volumes":[{"$retainKeys":["name"],"name":"v","hostPath":{"path":"/x"}}]}}""",
            PatchType.StrategicMerge);

        Assert.Equal("strategic merge patch: the patch sets \"hostPath\", which $retainKeys does not retain (at spec.volumes[0])", e.Message);
        Assert.Equal(PatchFailure.Unprocessable, e.Failure);
    }

    [Theory]
    [InlineData("""[{"op":"add","path":"/a","value":1}]""", "a strategic merge patch must be a JSON object, not an array")]
    [InlineData("\"labels\"", "a strategic merge patch must be a JSON object, not a string")]
    public void Apply_PatchNotAnObject_IsBadRequest(string patch, string message)
    {
        var e = Fails(Pod, patch, PatchType.StrategicMerge);

        Assert.Equal(message, e.Message);
        Assert.Equal(PatchFailure.BadRequest, e.Failure);
    }
}
