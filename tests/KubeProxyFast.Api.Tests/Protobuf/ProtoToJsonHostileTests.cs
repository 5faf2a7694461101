using KubeProxyFast.Api.Protobuf;

namespace KubeProxyFast.Api.Tests.Protobuf;

/// <summary>
/// Bodies a Go client never sends but protobuf allows, or an attacker may: fields in descending
/// order, many empty fields, map keys given twice, special messages with the wrong wire type.
/// </summary>
public sealed class ProtoToJsonHostileTests
{
    [Fact]
    public void ProtoToJson_ManyEmptyFieldsInDescendingOrder_MergesThemInLinearMemory()
    {
        // Pod status (field 3) then metadata (field 1), each empty, 32768 times: 128 KiB, 65536 fields.
        var body = new byte[128 * 1024];
        for (var i = 0; i < body.Length; i += 4)
        {
            body[i] = 0x1A;
            body[i + 2] = 0x0A;
        }

        var pod = ProtoKinds.Find("v1", "Pod")!;
        ProtoRoundTripTests.Decode([0x0A, 0x00], pod, "v1", "Pod");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var json = ProtoRoundTripTests.Decode(body, pod, "v1", "Pod");

        Assert.Equal("""{"kind":"Pod","apiVersion":"v1","metadata":{},"status":{}}""", json);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 6L * body.Length, "more than 6 bytes kept per byte of body");
    }

    [Theory]
    [MemberData(nameof(ProtoRoundTripTests.Kinds), MemberType = typeof(ProtoRoundTripTests))]
    public void ProtoToJson_FieldsInDescendingOrder_SameJsonAsInOrder(string apiVersion, string kind)
    {
        var message = ProtoKinds.Find(apiVersion, kind)!;
        var bytes = ProtoRoundTripTests.Encode(ProtoSamples.ByKind[(apiVersion, kind)], message, 7, out _);

        var reordered = Descending(bytes, reorderField: 1);

        Assert.NotEqual(bytes, reordered);
        Assert.Equal(ProtoRoundTripTests.Decode(bytes, message, apiVersion, kind), ProtoRoundTripTests.Decode(reordered, message, apiVersion, kind));
    }

    [Fact]
    public void ProtoToJson_MapKeyGivenTwice_LastValueOnce()
    {
        // ConfigMap data (field 2): a=1, b=x, a=2.
        byte[] body = [0x12, 0x06, 0x0A, 0x01, (byte)'a', 0x12, 0x01, (byte)'1', 0x12, 0x06, 0x0A, 0x01, (byte)'b', 0x12, 0x01, (byte)'x', 0x12, 0x06, 0x0A, 0x01, (byte)'a', 0x12, 0x01, (byte)'2'];

        var json = ProtoRoundTripTests.Decode(body, ProtoKinds.Find("v1", "ConfigMap")!, "v1", "ConfigMap");

        Assert.Equal("""{"kind":"ConfigMap","apiVersion":"v1","data":{"b":"x","a":"2"}}""", json);
    }

    [Fact]
    public void ProtoToJson_TimeSecondsAsBytes_Refused()
    {
        // metadata (1) { creationTimestamp (8) { seconds (1) as length-delimited, empty } }.
        byte[] body = [0x0A, 0x04, 0x42, 0x02, 0x0A, 0x00];

        var e = Assert.Throws<ProtoDecodeException>(() => ProtoRoundTripTests.Decode(body, ProtoKinds.Find("v1", "Pod")!, "v1", "Pod"));

        Assert.Contains("wrong wire type", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProtoToJson_IntOrStringTypeAsBytes_Refused()
    {
        // spec (2) { ports (1) { targetPort (4) { type (1) as length-delimited, empty } } }.
        byte[] body = [0x12, 0x06, 0x0A, 0x04, 0x22, 0x02, 0x0A, 0x00];

        var e = Assert.Throws<ProtoDecodeException>(() => ProtoRoundTripTests.Decode(body, ProtoKinds.Find("v1", "Service")!, "v1", "Service"));

        Assert.Contains("wrong wire type", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The message's fields sorted by descending number (stable), and those of field <paramref name="reorderField"/> too.</summary>
    private static byte[] Descending(byte[] message, int? reorderField)
    {
        var fields = new List<(int Number, byte[] Bytes)>();
        var position = 0;
        while (position < message.Length)
        {
            var reader = new ProtoReader(message.AsSpan(position));
            var (number, wire) = reader.ReadTag();
            var headerEnd = wire == WireType.LengthDelimited ? HeaderEnd(message, position) : 0;
            reader.Skip(wire);
            var segment = message[position..(position + reader.Offset)];
            if (number == reorderField)
            {
                var payload = Descending(segment[(headerEnd - position)..], null);
                payload.CopyTo(segment, headerEnd - position);
            }

            fields.Add((number, segment));
            position += reader.Offset;
        }

        return [.. fields.OrderByDescending(f => f.Number).SelectMany(f => f.Bytes)];
    }

    /// <summary>Where the value of the length-delimited field at <paramref name="position"/> starts.</summary>
    private static int HeaderEnd(byte[] message, int position)
    {
        var reader = new ProtoReader(message.AsSpan(position));
        reader.ReadTag();
        reader.ReadLengthDelimited(out var start);
        return position + start;
    }
}
