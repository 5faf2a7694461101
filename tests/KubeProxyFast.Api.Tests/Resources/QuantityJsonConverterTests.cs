using System.Text.Json;
using System.Text.Json.Serialization;
using KubeProxyFast.Api.Resources;

namespace KubeProxyFast.Api.Tests.Resources;

public class QuantityJsonConverterTests
{
    [Theory]
    [InlineData("\"100m\"", "100m")]
    [InlineData("\"1.5Gi\"", "1536Mi")]
    [InlineData("\"2e3\"", "2e3")]
    [InlineData("\" 1\"", "1")]
    [InlineData("\"1 \"", "1")]
    [InlineData("\"1\\u0030\"", "10")]
    [InlineData("1", "1")]
    [InlineData("-1", "-1")]
    [InlineData("0.5", "500m")]
    [InlineData("1e3", "1e3")]
    [InlineData("1.5E+3", "1500")]
    [InlineData("-0", "0")]
    [InlineData("null", "0")]
    public void Deserialize_StringOrNumber_ReadsQuantity(string json, string expected) =>
        Assert.Equal(expected, JsonSerializer.Deserialize<Quantity>(json).ToString());

    [Theory]
    [InlineData("100m", "\"100m\"")]
    [InlineData("1.5Gi", "\"1536Mi\"")]
    [InlineData("0.5", "\"500m\"")]
    [InlineData("0Ki", "\"0\"")]
    [InlineData("18446744073709551616", "\"18446744073709551616\"")]
    public void Serialize_Quantity_WritesCanonicalString(string input, string expected) =>
        Assert.Equal(expected, JsonSerializer.Serialize(Quantity.Parse(input)));

    [Fact]
    public void Serialize_DefaultQuantity_WritesZero() =>
        Assert.Equal("\"0\"", JsonSerializer.Serialize(default(Quantity)));

    [Theory]
    [InlineData("\"1mi\"", "1mi")]
    [InlineData("\"abc\"", "abc")]
    [InlineData("\"Mi\"", "Mi")]
    [InlineData("\"\"", "")]
    [InlineData("\"1 Mi\"", "1 Mi")]
    public void Deserialize_InvalidString_ThrowsJsonExceptionNamingValue(string json, string value)
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Quantity>(json));

        Assert.Contains($"\"{value}\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[]")]
    public void Deserialize_NonScalarToken_ThrowsJsonException(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Quantity>(json));

    [Fact]
    public void Deserialize_InvalidValueInObject_ReportsPath()
    {
        var ex = Assert.Throws<JsonException>(
            () => JsonSerializer.Deserialize("{\"cpu\":\"1KB\"}", QuantityTestJsonContext.Default.DictionaryStringQuantity));

        Assert.Equal("$.cpu", ex.Path);
        Assert.Contains("\"1KB\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTrip_ResourceListWithSourceGeneration_UsesConverter()
    {
        const string json = "{\"cpu\":1,\"memory\":\"1.5Gi\",\"ephemeral-storage\":\"2000\",\"nvidia.com/gpu\":\"0\"}";

        Dictionary<string, Quantity>? resources = JsonSerializer.Deserialize(json, QuantityTestJsonContext.Default.DictionaryStringQuantity);
        string written = JsonSerializer.Serialize(resources, QuantityTestJsonContext.Default.DictionaryStringQuantity);

        Assert.NotNull(resources);
        Assert.Equal(Quantity.Parse("1"), resources["cpu"]);
        Assert.Equal(Quantity.Parse("1536Mi"), resources["memory"]);
        Assert.Equal("{\"cpu\":\"1\",\"memory\":\"1536Mi\",\"ephemeral-storage\":\"2k\",\"nvidia.com/gpu\":\"0\"}", written);
    }

    [Fact]
    public void RoundTrip_NullableQuantity_KeepsNull()
    {
        Assert.Null(JsonSerializer.Deserialize("null", QuantityTestJsonContext.Default.NullableQuantity));
        Assert.Equal(Quantity.Parse("64Mi"), JsonSerializer.Deserialize("\"64Mi\"", QuantityTestJsonContext.Default.NullableQuantity));
    }

    [Fact]
    public void Deserialize_ValueLongerThanStackBuffer_Parses()
    {
        string digits = "1" + new string('0', 300);

        Quantity fromString = JsonSerializer.Deserialize<Quantity>($"\"{digits}\"");
        Quantity fromNumber = JsonSerializer.Deserialize<Quantity>(digits);

        Assert.Equal(Quantity.Parse("1e300"), fromString);
        Assert.Equal(fromString, fromNumber);
        Assert.Equal("\"1e300\"", JsonSerializer.Serialize(fromString));
    }

    [Fact]
    public void Deserialize_SegmentedInput_Parses()
    {
        // A reader over several buffers hands the converter a ValueSequence instead of a ValueSpan.
        byte[] utf8 = "[\"1536Mi\",12345678]"u8.ToArray();
        var first = new BufferSegment(utf8.AsMemory(0, 5));
        BufferSegment last = first.Append(utf8.AsMemory(5));
        var reader = new Utf8JsonReader(new System.Buffers.ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));

        Quantity[]? values = JsonSerializer.Deserialize<Quantity[]>(ref reader);

        Assert.NotNull(values);
        Assert.Equal([Quantity.Parse("1536Mi"), Quantity.Parse("12345678")], values);
    }

    private sealed class BufferSegment : System.Buffers.ReadOnlySequenceSegment<byte>
    {
        public BufferSegment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public BufferSegment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new BufferSegment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}

[JsonSerializable(typeof(Dictionary<string, Quantity>))]
[JsonSerializable(typeof(Quantity?))]
internal sealed partial class QuantityTestJsonContext : JsonSerializerContext;
