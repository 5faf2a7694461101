using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Tests.Serialization;

/// <summary>Byte maps (a Secret's data, a ConfigMap's binaryData): base64 as Go writes <c>[]byte</c>, errors that name the key but never the value.</summary>
public sealed class ByteMapTests
{
    [Fact]
    public void RoundTrip_SecretData_IsStandardBase64InGoFieldOrder()
    {
        var secret = KubeJson.Deserialize<Secret>("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\"},\"type\":\"Opaque\",\"data\":{\"k\":\"/+8=\",\"e\":\"\",\"n\":null}}");

        Assert.Equal(new byte[] { 0xff, 0xef }, secret.Data!["k"]);
        Assert.Empty(secret.Data["e"]);
        Assert.Empty(secret.Data["n"]);
        Assert.Equal(
            "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\"},\"data\":{\"k\":\"/+8=\",\"e\":\"\",\"n\":\"\"},\"type\":\"Opaque\"}",
            Encoding.UTF8.GetString(KubeJson.SerializeObject(secret)));
    }

    [Fact]
    public void RoundTrip_ConfigMap_ImmutableDataBinaryDataInGoFieldOrder()
    {
        const string json = "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"c\"},\"immutable\":true,\"data\":{\"a\":\"1\"},\"binaryData\":{\"b\":\"AAE=\"}}";

        var map = KubeJson.Deserialize<ConfigMap>(json);

        Assert.Equal(new byte[] { 0, 1 }, map.BinaryData!["b"]);
        Assert.Equal(json, Encoding.UTF8.GetString(KubeJson.SerializeObject(map)));
    }

    [Fact]
    public void Deserialize_LineBreaksInBase64_AreSkippedAsGoDoes() =>
        Assert.Equal("secret"u8.ToArray(), KubeJson.Deserialize<Secret>("{\"data\":{\"k\":\"c2Vj\\ncmV0\"}}").Data!["k"]);

    [Theory]
    [InlineData("c2VjcmV0!!", "illegal base64 data at input byte 8")]
    [InlineData("c2Vj cmV0", "illegal base64 data at input byte 4")]
    [InlineData("c2VjcmV0c", "illegal base64 data at input byte 8")]
    public void Deserialize_BadBase64_NamesTheKeyAndOffsetNotTheValue(string value, string detail)
    {
        var e = Assert.Throws<KubeDecodeException>(() => KubeJson.Deserialize<Secret>($"{{\"data\":{{\"password\":\"{value}\"}}}}"));

        Assert.Equal("data.password", e.Field);
        Assert.StartsWith("data.password: " + detail, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_NumberAsValue_IsRefused()
    {
        var e = Assert.Throws<KubeDecodeException>(() => KubeJson.Deserialize<ConfigMap>("{\"binaryData\":{\"k\":1}}"));

        Assert.Equal("binaryData.k", e.Field);
    }
}
