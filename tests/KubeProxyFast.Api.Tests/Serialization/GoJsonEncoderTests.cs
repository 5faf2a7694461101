using System.Text;
using System.Text.Json;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Tests.Serialization;

/// <summary>Strings escaped byte for byte as Go's encoding/json writes them (the expected bytes are Go's json.Marshal output).</summary>
public sealed class GoJsonEncoderTests
{
    [Theory]
    [InlineData("services \"mock-2\" already exists", "\"services \\\"mock-2\\\" already exists\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("<a href=\"x\">&amp;</a>", "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026amp;\\u003c/a\\u003e\"")]
    [InlineData("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"")]
    [InlineData("\u0000\u0001\u001f\u007f", "\"\\u0000\\u0001\\u001f\u007f\"")]
    [InlineData("é 日本 😀", "\"é 日本 😀\"")]
    [InlineData("\u2028\u2029", "\"\\u2028\\u2029\"")]
    public void Serialize_String_WritesGoBytes(string value, string expected)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(Write(w => w.WriteStringValue(value))));
        Assert.Equal(expected, Encoding.UTF8.GetString(Write(w => w.WriteStringValue(Encoding.UTF8.GetBytes(value)))));
    }

    [Fact]
    public void Serialize_InvalidUtf8_ReplacesEachBadByte()
    {
        // Go decodes one byte at a time: 0xff, then 0xe2 0x80 (a cut sequence) are three errors.
        byte[] value = [(byte)'x', 0xff, 0xe2, 0x80, (byte)'A', 0xc3, 0xa9];

        var json = Write(w => w.WriteStringValue(value));

        Assert.Equal("\"x\\ufffd\\ufffd\\ufffdAé\"", Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void Serialize_LongAsciiWithOneEscapeAtTheEnd_FindsIt()
    {
        var value = new string('a', 1000) + "<";

        var json = Encoding.UTF8.GetString(Write(w => w.WriteStringValue(value)));

        Assert.Equal("\"" + new string('a', 1000) + "\\u003c\"", json);
    }

    [Fact]
    public void SerializeObject_Status_QuotesAsGo()
    {
        var status = new Status { Result = "Failure", Message = "services \"mock-2\" already exists", Reason = "AlreadyExists", Code = 409 };

        var json = Encoding.UTF8.GetString(KubeJson.SerializeToUtf8Bytes(status));

        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"services \"mock-2\" already exists","reason":"AlreadyExists","code":409}""", json);
    }

    [Fact]
    public void SerializeObject_Labels_InSortedKeyOrderAsGoMaps()
    {
        var pod = new Pod { Metadata = new ObjectMeta { Name = "p", Labels = new() { ["zeta"] = "1", ["alpha"] = "<&>", ["mid"] = "ü" } } };

        var json = Encoding.UTF8.GetString(KubeJson.SerializeObject(pod));

        Assert.Contains("""{"name":"p","labels":{"alpha":"\u003c\u0026\u003e","mid":"ü","zeta":"1"}}""", json, StringComparison.Ordinal);
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = KubeJson.CreateWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
