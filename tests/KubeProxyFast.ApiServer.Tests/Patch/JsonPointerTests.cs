using System.Text.Json.Nodes;
using KubeProxyFast.ApiServer.Patch;

namespace KubeProxyFast.ApiServer.Tests.Patch;

public sealed class JsonPointerTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("/", new[] { "" })]
    [InlineData("/a/0", new[] { "a", "0" })]
    [InlineData("/a~1b/m~0n", new[] { "a/b", "m~n" })]
    [InlineData("/~01", new[] { "~1" })]
    [InlineData("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration", new[] { "metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration" })]
    public void TryParse_ValidPointer_UnescapesTokens(string text, string[] tokens)
    {
        Assert.True(JsonPointer.TryParse(text, out var pointer, out _));

        Assert.Equal(tokens, pointer.Tokens);
    }

    [Theory]
    [InlineData("a/b", "must be empty or start with \"/\"")]
    [InlineData("/a~2", "\"a~2\" has a \"~\" that is not ~0")]
    [InlineData("/a~", "\"a~\" has a \"~\" that is not ~0")]
    public void TryParse_InvalidPointer_SaysWhy(string text, string reason)
    {
        Assert.False(JsonPointer.TryParse(text, out _, out var error));

        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("12", 12)]
    public void TryParseIndex_Digits_ParsesIndex(string token, int index)
    {
        Assert.True(JsonPointer.TryParseIndex(token, out var parsed));
        Assert.Equal(index, parsed);
    }

    [Theory]
    [InlineData("01")]
    [InlineData("-")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1a")]
    [InlineData("")]
    [InlineData("99999999999")]
    public void TryParseIndex_NotAnIndex_ReturnsFalse(string token)
    {
        Assert.False(JsonPointer.TryParseIndex(token, out _));
    }

    [Fact]
    public void TryFind_ExistingNull_FindsNullValue()
    {
        Assert.True(JsonPointer.TryParse("/a/1", out var pointer, out _));

        Assert.True(pointer.TryFind(JsonNode.Parse("""{"a":[1,null]}"""), out var value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData("/b")]
    [InlineData("/a/2")]
    [InlineData("/a/-")]
    [InlineData("/a/0/x")]
    public void TryFind_Missing_ReturnsFalse(string text)
    {
        Assert.True(JsonPointer.TryParse(text, out var pointer, out _));

        Assert.False(pointer.TryFind(JsonNode.Parse("""{"a":[1,null]}"""), out _));
    }
}
