using System.Buffers;
using System.Text;

namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>
/// The protobuf wire format, as much as the OpenAPI v2 message needs: strings, booleans and
/// nested messages (length-delimited, written to their own buffer first). Fields at their
/// default (empty, false) are left out, as proto3 encoders do.
/// </summary>
internal sealed class ProtoWriter
{
    private const int Varint = 0;
    private const int LengthDelimited = 2;

    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>A string field; nothing for null or empty.</summary>
    public void String(int field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        Tag(field, LengthDelimited);
        WriteVarint((ulong)bytes.Length);
        _buffer.Write(bytes);
    }

    /// <summary>A bool field; nothing for false.</summary>
    public void Bool(int field, bool value)
    {
        if (value)
        {
            Tag(field, Varint);
            WriteVarint(1);
        }
    }

    /// <summary>An embedded message, written even when empty (its presence can mean something: an empty schema).</summary>
    public void Message(int field, ProtoWriter message)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)message._buffer.WrittenCount);
        _buffer.Write(message._buffer.WrittenSpan);
    }

    /// <summary>The message's bytes.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void Tag(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        Span<byte> bytes = stackalloc byte[10];
        var length = 0;
        while (value >= 0x80)
        {
            bytes[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        bytes[length++] = (byte)value;
        _buffer.Write((ReadOnlySpan<byte>)bytes[..length]);
    }
}
