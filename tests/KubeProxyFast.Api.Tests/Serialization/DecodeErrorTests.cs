using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Tests.Serialization;

public sealed class DecodeErrorTests
{
    [Theory]
    [InlineData("{\"spec\":{\"ports\":[{\"port\":\"80\"}]}}", "spec.ports[0].port", "expected a 32-bit integer")]
    [InlineData("{\"spec\":{\"ports\":[{\"port\":99999999999}]}}", "spec.ports[0].port", "expected a 32-bit integer")]
    [InlineData("{\"spec\":{\"ports\":[{\"port\":80.5}]}}", "spec.ports[0].port", "expected a 32-bit integer")]
    [InlineData("{\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":{}}]}}", "spec.ports[0].targetPort", "must be an integer or a string, not an object")]
    [InlineData("{\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":1e12}]}}", "spec.ports[0].targetPort", "must be an integer within 32 bits or a string")]
    [InlineData("{\"spec\":{\"ports\":{\"port\":80}}}", "spec.ports", "expected an array")]
    [InlineData("{\"spec\":{\"selector\":[\"app\"]}}", "spec.selector", "expected an object (a map)")]
    [InlineData("{\"spec\":{\"externalIPs\":[1]}}", "spec.externalIPs[0]", "expected a string")]
    [InlineData("{\"metadata\":null}", "metadata", "null is not allowed here")]
    [InlineData("{\"metadata\":{\"creationTimestamp\":\"yesterday\"}}", "metadata.creationTimestamp", "\"yesterday\" is not an RFC 3339 time")]
    [InlineData("{\"metadata\":{\"creationTimestamp\":17}}", "metadata.creationTimestamp", "must be an RFC 3339 time string, not a number")]
    [InlineData("{\"metadata\":{\"labels\":{\"app\":1}}}", "metadata.labels.app", "expected a string")]
    [InlineData("{\"metadata\":{\"labels\":{\"app\":null}}}", "metadata.labels.app", "null is not allowed here")]
    [InlineData("{\"spec\":{\"selector\":{\"app\":null}}}", "spec.selector.app", "null is not allowed here")]
    [InlineData("{\"spec\":{\"sessionAffinityConfig\":{\"clientIP\":{\"timeoutSeconds\":true}}}}", "spec.sessionAffinityConfig.clientIP.timeoutSeconds", "expected a 32-bit integer")]
    public void Deserialize_WrongType_NamesTheField(string json, string field, string detail)
    {
        var e = Assert.Throws<KubeDecodeException>(() => KubeJson.Deserialize<Service>(json));

        Assert.Equal(field, e.Field);
        Assert.Contains(detail, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(field + ": ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_BadQuantity_NamesTheResource()
    {
        const string json = "{\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":{\"limits\":{\"cpu\":\"lots\"}}}]}}";

        var e = Assert.Throws<KubeDecodeException>(() => KubeJson.Deserialize<Pod>(json));

        Assert.Equal("spec.containers[0].resources.limits.cpu", e.Field);
        Assert.Contains("lots", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"metadata\": {\"name\": \"a\",}")]
    [InlineData("{\"metadata\": {")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("{\"a\":1} {\"b\":2}")]
    public void Deserialize_MalformedJson_SaysMalformedWithPosition(string json)
    {
        var e = Assert.Throws<KubeDecodeException>(() => KubeJson.Deserialize<Pod>(json));

        Assert.StartsWith("malformed JSON (line ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_JsonNull_IsRejected()
    {
        var e = Assert.Throws<KubeDecodeException>(() => KubeJson.Deserialize<Pod>("null"));

        Assert.Contains("expected an object", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_DeeplyNested_IsRejectedNotCrashed()
    {
        var json = "{\"metadata\":{\"name\":\"a\"},\"extra\":" + new string('[', 200) + new string(']', 200) + "}";

        var e = Assert.Throws<KubeDecodeException>(() => KubeJson.Deserialize<Pod>(json));

        Assert.Contains("maximum configured depth of 64", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"apiVersion\":\"v1\",\"kind\":\"Deployment\"}", "no kind \"Deployment\" is registered for version \"v1\"")]
    [InlineData("{\"apiVersion\":\"apps/v1\",\"kind\":\"Pod\"}", "no kind \"Pod\" is registered for version \"apps/v1\"")]
    [InlineData("{\"kind\":\"Pod\"}", "apiVersion: Required value")]
    [InlineData("{\"apiVersion\":\"v1\"}", "kind: Required value")]
    [InlineData("{\"apiVersion\":\"v1\",\"kind\":7}", "kind: must be a non-empty string, found a number")]
    [InlineData("[1,2]", "expected a JSON object, found an array")]
    public void DeserializeObject_BadTypeMeta_SaysWhich(string json, string message)
    {
        var e = Assert.Throws<KubeDecodeException>(() => KubeJson.DeserializeObject(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_UnknownEnumValue_DecodesAndIsLeftToValidation()
    {
        var service = KubeJson.Deserialize<Service>("{\"spec\":{\"ports\":[{\"port\":80,\"protocol\":\"SCTPX\"}]}}");

        Assert.Equal("SCTPX", service.Spec!.Ports![0].Protocol);
    }

    [Fact]
    public void Deserialize_UnknownFields_AreKeptAndWrittenBack()
    {
        const string json = "{\"metadata\":{\"name\":\"a\",\"managedFields\":[{\"manager\":\"kubectl\"}]},\"spec\":{\"ports\":[{\"port\":80,\"appProtocol\":\"http\"}]}}";

        var service = KubeJson.Deserialize<Service>(json);

        Assert.Equal(json, KubeJson.Serialize(service));
    }
}
