using System.Text.Json.Nodes;
using KubeProxyFast.ApiServer.Patch;
using static KubeProxyFast.ApiServer.Tests.Patch.PatchJsonAssert;

namespace KubeProxyFast.ApiServer.Tests.Patch;

public sealed class MergePatchTests
{
    // The RFC 7386 appendix table: target, patch, result.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Apply_Rfc7386Cases_ProduceTheResult(string target, string patch, string expected)
    {
        Equal(expected, MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch)));
    }

    [Fact]
    public void Apply_ListOfContainers_IsReplacedNotMerged()
    {
        const string pod = """{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}""";

        var result = Apply(pod, """{"spec":{"containers":[{"name":"a","image":"z"}]}}""", PatchType.Merge);

        Equal("""{"spec":{"containers":[{"name":"a","image":"z"}]}}""", result);
    }

    [Theory]
    [InlineData("""["c"]""", "a merge patch must be a JSON object, not an array")]
    [InlineData("null", "a merge patch must be a JSON object, not null")]
    [InlineData("3", "a merge patch must be a JSON object, not a number")]
    public void Apply_PatchNotAnObject_IsBadRequest(string patch, string message)
    {
        var e = Fails("""{"a":1}""", patch, PatchType.Merge);

        Assert.Equal(message, e.Message);
        Assert.Equal(PatchFailure.BadRequest, e.Failure);
    }
}
