using System.Text;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Tests.Serialization;

public sealed class JsonTextTests
{
    [Theory]
    [InlineData("{\"kind\":\"\\ud800\"}", "kind: invalid value: the string is not text")]
    [InlineData("{\"metadata\":{\"labels\":{\"a\":\"\\udfff\\ud800\"}}}", "metadata.labels.a: invalid value: the string is not text")]
    [InlineData("{\"spec\":{\"containers\":[{\"name\":\"c\"},null]}}", "spec.containers[1]: invalid value: null is not allowed in a list")]
    [InlineData("{\"subsets\":[{\"addresses\":[null]}]}", "subsets[0].addresses[0]: invalid value: null is not allowed in a list")]
    public void Check_StringNotTextOrNullElement_NamesTheField(string json, string message)
    {
        var e = Assert.Throws<KubeDecodeException>(() => JsonText.Check(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(message, e.Message[..message.Length]);
    }

    [Fact]
    public void Check_InvalidUtf8_NamesTheField()
    {
        var json = Encoding.UTF8.GetBytes("{\"kind\":\"Servi?e\"}");
        json[14] = 0xff;

        var e = Assert.Throws<KubeDecodeException>(() => JsonText.Check(json));

        Assert.Equal("kind: invalid value: the string is not valid UTF-8", e.Message);
    }

    [Theory]
    [InlineData("{\"a\":[1,\"x\",{\"b\":null}],\"c\":null,\"d\":\"é\\u00e9\"}")]
    [InlineData("{\"unterminated\":[")]
    public void Check_TextAndNullMembers_Pass(string json)
    {
        JsonText.Check(Encoding.UTF8.GetBytes(json));
    }
}
