using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace KubeProxyFast.Api.Protobuf;

/// <summary>
/// A growable buffer (from the array pool) that protobuf is written into front to back. A nested
/// message's length is not known until it ends: one byte is reserved for it, and the rare message
/// of 128 bytes or more moves its bytes right when it closes (a pod moves some kilobytes in all,
/// about a microsecond). A gap kept at the front takes the envelope, written last, so an object or
/// a list is never copied to be wrapped.
/// </summary>
public sealed class ProtoOutput : IDisposable
{
    private const int MaxNesting = 128;

    private readonly int[] _open = new int[MaxNesting];
    private byte[] _buffer;
    private int _start;
    private int _position;
    private int _depth;

    /// <summary>An empty output with <paramref name="gap"/> bytes kept free in front (see <see cref="Prepend"/>).</summary>
    public ProtoOutput(int gap = 0, int capacity = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, gap + 64));
        _start = gap;
        _position = gap;
    }

    /// <summary>Bytes written (not counting the gap).</summary>
    public int Length => _position - _start;

    /// <summary>What was written, including anything prepended.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(_start, _position - _start);

    /// <summary>What was written, as memory (valid until the output is reset or disposed).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(_start, _position - _start);

    /// <summary>Forgets what was written, keeping the buffer and a gap of <paramref name="gap"/> bytes.</summary>
    public void Reset(int gap = 0)
    {
        if (gap + 64 > _buffer.Length)
        {
            Grow(gap + 64);
        }

        _start = gap;
        _position = gap;
        _depth = 0;
    }

    /// <summary>Writes a tag.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteTag(int number, WireType type) => WriteVarint(ProtoWire.Tag(number, type));

    /// <summary>Writes a varint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarint(ulong value)
    {
        if (_buffer.Length - _position < 10)
        {
            Grow(10);
        }

        _position += ProtoWire.WriteVarint(_buffer.AsSpan(_position), value);
    }

    /// <summary>Writes four little-endian bytes.</summary>
    public void WriteFixed32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(GetSpan(4), value);
        _position += 4;
    }

    /// <summary>Writes eight little-endian bytes.</summary>
    public void WriteFixed64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(GetSpan(8), value);
        _position += 8;
    }

    /// <summary>Writes a length and the bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteVarint((ulong)bytes.Length);
        WriteRaw(bytes);
    }

    /// <summary>Writes a field of bytes or a string: tag, length, bytes.</summary>
    public void WriteBytesField(int number, ReadOnlySpan<byte> bytes)
    {
        WriteTag(number, WireType.LengthDelimited);
        WriteBytes(bytes);
    }

    /// <summary>Writes a varint field.</summary>
    public void WriteVarintField(int number, ulong value)
    {
        WriteTag(number, WireType.Varint);
        WriteVarint(value);
    }

    /// <summary>Writes bytes as they are.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _position += bytes.Length;
    }

    /// <summary>A span of at least <paramref name="size"/> bytes to write into; call <see cref="Advance"/> after.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_buffer.Length - _position < size)
        {
            Grow(size);
        }

        return _buffer.AsSpan(_position);
    }

    /// <summary>Counts <paramref name="count"/> bytes written into <see cref="GetSpan"/>'s span.</summary>
    public void Advance(int count) => _position += count;

    /// <summary>Starts a length-delimited field (a nested message, a map entry, a packed list); end it with <see cref="EndLengthDelimited"/>.</summary>
    public void BeginLengthDelimited(int number)
    {
        if (_depth == MaxNesting)
        {
            throw new ProtoDecodeException($"messages nested deeper than {MaxNesting}");
        }

        WriteTag(number, WireType.LengthDelimited);
        if (_position == _buffer.Length)
        {
            Grow(1);
        }

        _open[_depth++] = _position++;
    }

    /// <summary>Ends the innermost length-delimited field: writes its length before its bytes.</summary>
    public void EndLengthDelimited()
    {
        var lengthAt = _open[--_depth];
        var contentAt = lengthAt + 1;
        var length = _position - contentAt;
        if (length < 0x80)
        {
            _buffer[lengthAt] = (byte)length;
            return;
        }

        var extra = ProtoWire.VarintSize((ulong)length) - 1;
        if (_buffer.Length - _position < extra)
        {
            Grow(extra);
        }

        Buffer.BlockCopy(_buffer, contentAt, _buffer, contentAt + extra, length);
        ProtoWire.WriteVarint(_buffer.AsSpan(lengthAt), (ulong)length);
        _position += extra;
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> into the gap right before what was written (an envelope's
    /// header, a frame's length); false when the gap is too small.
    /// </summary>
    public bool Prepend(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _start)
        {
            return false;
        }

        _start -= bytes.Length;
        bytes.CopyTo(_buffer.AsSpan(_start));
        return true;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int needed)
    {
        var size = (long)Math.Max(_buffer.Length * 2L, (long)_position + needed);
        if (size > Array.MaxLength)
        {
            throw new ProtoDecodeException("the protobuf encoding is larger than an array can hold");
        }

        var bigger = ArrayPool<byte>.Shared.Rent((int)size);
        _buffer.AsSpan(0, _position).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
