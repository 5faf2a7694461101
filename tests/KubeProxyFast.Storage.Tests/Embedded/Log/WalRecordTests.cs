using System.Buffers;
using KubeProxyFast.Storage.Embedded.Log;

namespace KubeProxyFast.Storage.Tests.Embedded.Log;

/// <summary>The log record's encoding: what the writer refuses to write, and what the reader refuses to read.</summary>
public sealed class WalRecordTests
{
    [Fact]
    public void Write_PayloadOverTheFrameLimit_ThrowsAndWritesNothing()
    {
        var buffer = new ArrayBufferWriter<byte>();
        // A put is 1 + 4 + key + 4 + value bytes after the 4-byte count: this is one byte over.
        var value = new byte[Frame.MaxPayload - 4 - 9 - "/big".Length + 1];

        var e = Assert.Throws<InvalidOperationException>(() => WalRecord.Write(buffer, 2, [new WalMutation("/big", value)]));

        Assert.Contains($"{Frame.MaxPayload}-byte frame limit", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void PayloadSize_OfAPutAndADelete_IsWhatWriteWrites()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WalRecord.Write(buffer, 2, [new WalMutation("/a", [1, 2, 3]), new WalMutation("/é", null)]);

        var size = WalRecord.PayloadSize([new StorePut("/a", new byte[] { 1, 2, 3 }), new StoreDelete("/é")]);

        Assert.Equal(buffer.WrittenCount - Frame.HeaderSize, size);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 0 }, "ends inside a mutation count")]
    [InlineData(new byte[] { 255, 255, 255, 255 }, "negative mutation count")]
    [InlineData(new byte[] { 2, 0, 0, 0, 2, 1, 0, 0, 0, (byte)'k' }, "says 2 mutations but holds 1")]
    [InlineData(new byte[] { 1, 0, 0, 0, 2, 9, 0, 0, 0, (byte)'k' }, "key of 9 bytes runs past the end")]
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 1, 0, 0, 0, (byte)'k', 5, 0, 0, 0 }, "value of 5 bytes runs past the end")]
    [InlineData(new byte[] { 1, 0, 0, 0, 7, 1, 0, 0, 0, (byte)'k' }, "unknown mutation kind 7")]
    [InlineData(new byte[] { 1, 0, 0, 0, 2, 1, 0, 0, 0, (byte)'k', 0 }, "1 bytes follow the record's 1 mutations")]
    public void Decode_MalformedPayload_ThrowsInvalidDataNamingTheProblem(byte[] payload, string problem)
    {
        var e = Assert.Throws<InvalidDataException>(() => WalRecord.Decode(payload, []));

        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
