using System.Buffers.Binary;
using System.Globalization;

namespace KubeProxyFast.Api.Protobuf;

/// <summary>
/// Reads protobuf wire values from a span, checking every length against what is left, so a
/// truncated or lying body is an error naming its offset, never a read past the end or an
/// allocation of the size it claims.
/// </summary>
public ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _base;
    private int _position;

    /// <summary>A reader over <paramref name="data"/>, which starts at <paramref name="offset"/> of the whole body (for messages).</summary>
    public ProtoReader(ReadOnlySpan<byte> data, int offset = 0)
    {
        _data = data;
        _base = offset;
        _position = 0;
    }

    /// <summary>True once every byte was read.</summary>
    public readonly bool End => _position >= _data.Length;

    /// <summary>The offset of the next byte in the whole body.</summary>
    public readonly int Offset => _base + _position;

    /// <summary>Reads a tag; field number 0, a number past 2^29 - 1 or a group wire type is an error.</summary>
    public (int Number, WireType Type) ReadTag()
    {
        var at = Offset;
        var tag = ReadVarint();
        var number = tag >> 3;
        var type = (WireType)(tag & 7);
        if (number == 0 || number > 0x1FFFFFFF)
        {
            throw new ProtoDecodeException(Invariant($"invalid field number {number} at byte {at}"));
        }

        if (type is not (WireType.Varint or WireType.Fixed64 or WireType.LengthDelimited or WireType.Fixed32))
        {
            throw new ProtoDecodeException(Invariant($"unsupported wire type {ProtoWire.Describe(type)} for field {number} at byte {at}"));
        }

        return ((int)number, type);
    }

    /// <summary>Reads a varint of at most 10 bytes.</summary>
    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new ProtoDecodeException(Invariant($"truncated varint at byte {Offset}"));
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new ProtoDecodeException(Invariant($"varint longer than 10 bytes at byte {Offset}"));
    }

    /// <summary>Reads four little-endian bytes.</summary>
    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "32-bit value"));

    /// <summary>Reads eight little-endian bytes.</summary>
    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "64-bit value"));

    /// <summary>Reads a length and that many bytes; <paramref name="offset"/> is where they start in the whole body.</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited(out int offset)
    {
        var at = Offset;
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw new ProtoDecodeException(Invariant($"length {length} at byte {at} runs past the end of its message ({_data.Length - _position} bytes left)"));
        }

        offset = Offset;
        return Take((int)length, "length-delimited value");
    }

    /// <summary>Skips a value of <paramref name="type"/>.</summary>
    public void Skip(WireType type)
    {
        switch (type)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Take(8, "64-bit value");
                break;
            case WireType.Fixed32:
                Take(4, "32-bit value");
                break;
            default:
                ReadLengthDelimited(out _);
                break;
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > _data.Length - _position)
        {
            throw new ProtoDecodeException(Invariant($"truncated {what} at byte {Offset}"));
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
