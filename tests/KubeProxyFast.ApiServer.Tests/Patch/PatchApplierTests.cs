using KubeProxyFast.ApiServer.Patch;
using static KubeProxyFast.ApiServer.Tests.Patch.PatchJsonAssert;

namespace KubeProxyFast.ApiServer.Tests.Patch;

public sealed class PatchApplierTests
{
    [Theory]
    [InlineData("{\"metadata\":", "(line 1, position 13)")]
    [InlineData("{\"a\":1,}", "(line 1, position 8)")]
    [InlineData("not json", "(line 1, position 2)")]
    [InlineData("{\"a\":1}\n{\"b\":2}", "(line 2, position 1)")]
    [InlineData("", "(line 1, position 1)")]
    public void Apply_MalformedJson_IsBadRequestWithPosition(string patch, string position)
    {
        foreach (var type in Enum.GetValues<PatchType>())
        {
            var e = Fails("{}", patch, type);

            Assert.StartsWith("the patch is not valid JSON: ", e.Message, StringComparison.Ordinal);
            Assert.EndsWith(position, e.Message, StringComparison.Ordinal);
            Assert.Equal(PatchFailure.BadRequest, e.Failure);
        }
    }

    [Fact]
    public void Apply_DuplicateKey_IsBadRequest()
    {
        // RFC 6902 A.13: an operation with two "op" members is not a valid patch document.
        var e = Fails("""{"baz":"qux"}""", """[{"op":"add","path":"/baz","value":"qux","op":"remove"}]""", PatchType.Json);

        Assert.StartsWith("the patch is not valid JSON: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("Duplicate property 'op'", e.Message, StringComparison.Ordinal);
        Assert.Equal(PatchFailure.BadRequest, e.Failure);
    }

    [Theory]
    [InlineData("""{"op":"add"}""", "a json patch must be a JSON array of operations, not an object")]
    [InlineData("null", "a json patch must be a JSON array of operations, not null")]
    public void Apply_JsonPatchNotAnArray_IsBadRequest(string patch, string message)
    {
        var e = Fails("{}", patch, PatchType.Json);

        Assert.Equal(message, e.Message);
        Assert.Equal(PatchFailure.BadRequest, e.Failure);
    }

    [Theory]
    [InlineData(nameof(PatchType.Merge), """{"metadata":{"labels":{"a":"2"}},"spec":null}""")]
    [InlineData(nameof(PatchType.StrategicMerge), """{"metadata":{"labels":{"$patch":"delete"}},"spec":{"containers":[{"name":"c","image":"d"}]}}""")]
    [InlineData(nameof(PatchType.Json), """[{"op":"remove","path":"/spec/containers/0"}]""")]
    public void Apply_AnyType_LeavesOriginalUnchanged(string type, string patch)
    {
        const string json = """{"metadata":{"labels":{"a":"1"}},"spec":{"containers":[{"name":"c","image":"i"}]}}""";
        var original = Object(json);

        var result = PatchApplier.Apply(original, System.Text.Encoding.UTF8.GetBytes(patch), Enum.Parse<PatchType>(type), "Pod");

        Assert.NotSame(original, result);
        Equal(json, original);
    }

    [Theory]
    [InlineData("application/json-patch+json", nameof(PatchType.Json))]
    [InlineData("application/merge-patch+json", nameof(PatchType.Merge))]
    [InlineData("application/strategic-merge-patch+json", nameof(PatchType.StrategicMerge))]
    [InlineData("application/strategic-merge-patch+json; charset=utf-8", nameof(PatchType.StrategicMerge))]
    [InlineData("Application/Merge-Patch+JSON", nameof(PatchType.Merge))]
    public void TryParse_PatchMediaType_MapsToType(string contentType, string expected)
    {
        Assert.True(PatchMediaTypes.TryParse(contentType, out var type));
        Assert.Equal(Enum.Parse<PatchType>(expected), type);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/apply-patch+yaml")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_OtherMediaType_ReturnsFalse(string? contentType)
    {
        Assert.False(PatchMediaTypes.TryParse(contentType, out _));
    }
}
