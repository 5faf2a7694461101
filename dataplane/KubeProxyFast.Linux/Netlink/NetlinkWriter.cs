using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using static KubeProxyFast.Linux.Netlink.NetlinkConstants;

namespace KubeProxyFast.Linux.Netlink;

/// <summary>
/// Builds netlink messages in one growing native buffer: headers, attributes and nests are
/// written in place (lengths patched when a message or nest ends), so a sync of 50,000 service
/// ports allocates no object per attribute. The buffer lives in native memory so that the large
/// one a full sync needs goes back to the system when <see cref="Trim"/> or Dispose frees it.
/// </summary>
public sealed unsafe class NetlinkWriter : IDisposable
{
    private const int InitialCapacity = 64 * 1024;
    private byte* _buffer;
    private int _capacity;
    private int _length;

    /// <summary>A writer with a 64 KiB native buffer.</summary>
    public NetlinkWriter()
    {
        _buffer = (byte*)NativeMemory.Alloc(InitialCapacity);
        _capacity = InitialCapacity;
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The messages written so far.</summary>
    public ReadOnlySpan<byte> Written => new(_buffer, _length);

    /// <summary>Forgets everything written, keeping the buffer.</summary>
    public void Reset() => _length = 0;

    /// <summary>Forgets everything written and gives a large buffer back to the system.</summary>
    public void Trim()
    {
        _length = 0;
        if (_capacity > InitialCapacity)
        {
            _buffer = (byte*)NativeMemory.Realloc(_buffer, InitialCapacity);
            _capacity = InitialCapacity;
        }
    }

    /// <summary>
    /// Starts a netfilter message: nlmsghdr then nfgenmsg (family, version, resource id in network
    /// order). Returns its offset for <see cref="EndMessage"/>.
    /// </summary>
    public int BeginMessage(ushort type, ushort flags, uint sequence, byte family, ushort resourceId)
    {
        var start = BeginMessage(type, flags, sequence);
        var p = Reserve(NFGENMSG_LEN);
        p[0] = family;
        p[1] = NFNETLINK_V0;
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(p + 2, 2), resourceId);
        return start;
    }

    /// <summary>
    /// Starts a message with only its nlmsghdr; the caller appends the family's fixed header
    /// (<see cref="AppendZeroed"/>) and attributes. Returns its offset for <see cref="EndMessage"/>.
    /// </summary>
    public int BeginMessage(ushort type, ushort flags, uint sequence)
    {
        var start = _length;
        var p = Reserve(NLMSG_HDRLEN);
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(p, 4), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(p + 4, 2), type);
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(p + 6, 2), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(p + 8, 4), sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(p + 12, 4), 0);
        return start;
    }

    /// <summary>
    /// Appends <paramref name="count"/> zeroed bytes (padded to 4) for a fixed header such as
    /// rtnetlink's <c>ifinfomsg</c> or <c>rtmsg</c>, and returns them for the caller to fill.
    /// </summary>
    public Span<byte> AppendZeroed(int count)
    {
        var span = new Span<byte>(Reserve(Align(count)), Align(count));
        span.Clear();
        return span[..count];
    }

    /// <summary>Ends the message begun at <paramref name="start"/> by writing its length.</summary>
    public void EndMessage(int start) =>
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(_buffer + start, 4), (uint)(_length - start));

    /// <summary>Starts a nested attribute; returns its offset for <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        var start = _length;
        WriteHeader(Reserve(NLA_HDRLEN), 0, (ushort)(type | NLA_F_NESTED));
        return start;
    }

    /// <summary>Ends the nest begun at <paramref name="start"/>; a nest is limited to 64 KiB by its u16 length.</summary>
    public void EndNested(int start)
    {
        var length = _length - start;
        if (length > ushort.MaxValue)
        {
            NetlinkThrowHelper.ThrowAttributeTooLong(length);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(_buffer + start, 2), (ushort)length);
    }

    /// <summary>Bytes written since the nest at <paramref name="start"/> began.</summary>
    public int NestedLength(int start) => _length - start;

    /// <summary>An 8-bit attribute (e.g. ctnetlink's <c>CTA_PROTO_NUM</c>), padded to 4 bytes.</summary>
    public void PutU8(ushort type, byte value)
    {
        var p = Reserve(NLA_HDRLEN + 4);
        WriteHeader(p, NLA_HDRLEN + 1, type);
        new Span<byte>(p + NLA_HDRLEN, 4).Clear();
        p[NLA_HDRLEN] = value;
    }

    /// <summary>A 16-bit attribute in network byte order (e.g. ctnetlink's ports), padded to 4 bytes.</summary>
    public void PutU16(ushort type, ushort value)
    {
        var p = Reserve(NLA_HDRLEN + 4);
        WriteHeader(p, NLA_HDRLEN + 2, type);
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(p + NLA_HDRLEN, 2), value);
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(p + NLA_HDRLEN + 2, 2), 0);
    }

    /// <summary>A 32-bit attribute in network byte order, as nf_tables reads all its integers.</summary>
    public void PutU32(ushort type, uint value)
    {
        var p = Reserve(NLA_HDRLEN + 4);
        WriteHeader(p, NLA_HDRLEN + 4, type);
        BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(p + NLA_HDRLEN, 4), value);
    }

    /// <summary>A 32-bit attribute in host byte order, as rtnetlink reads its integers (<c>IFLA_MTU</c>, <c>RTA_OIF</c>).</summary>
    public void PutHostU32(ushort type, uint value)
    {
        var p = Reserve(NLA_HDRLEN + 4);
        WriteHeader(p, NLA_HDRLEN + 4, type);
        *(uint*)(p + NLA_HDRLEN) = value;
    }

    /// <summary>A 64-bit attribute in network byte order (handles, timeouts in milliseconds).</summary>
    public void PutU64(ushort type, ulong value)
    {
        var p = Reserve(NLA_HDRLEN + 8);
        WriteHeader(p, NLA_HDRLEN + 8, type);
        BinaryPrimitives.WriteUInt64BigEndian(new Span<byte>(p + NLA_HDRLEN, 8), value);
    }

    /// <summary>A NUL-terminated string attribute (UTF-8), padded to 4 bytes.</summary>
    public void PutString(ushort type, string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        var p = Reserve(NLA_HDRLEN + Align(count + 1));
        WriteHeader(p, (ushort)(NLA_HDRLEN + count + 1), type);
        Encoding.UTF8.GetBytes(value, new Span<byte>(p + NLA_HDRLEN, count));
        new Span<byte>(p + NLA_HDRLEN + count, Align(count + 1) - count).Clear();
    }

    /// <summary>A binary attribute, padded to 4 bytes.</summary>
    public void PutBytes(ushort type, ReadOnlySpan<byte> value)
    {
        var p = Reserve(NLA_HDRLEN + Align(value.Length));
        WriteHeader(p, (ushort)(NLA_HDRLEN + value.Length), type);
        value.CopyTo(new Span<byte>(p + NLA_HDRLEN, value.Length));
        new Span<byte>(p + NLA_HDRLEN + value.Length, Align(value.Length) - value.Length).Clear();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_buffer != null)
        {
            NativeMemory.Free(_buffer);
            _buffer = null;
        }
    }

    private static void WriteHeader(byte* p, ushort length, ushort type)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(p, 2), length);
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(p + 2, 2), type);
    }

    private byte* Reserve(int count)
    {
        if (_length + count > _capacity)
        {
            Grow(count);
        }

        var p = _buffer + _length;
        _length += count;
        return p;
    }

    private void Grow(int count)
    {
        var capacity = _capacity;
        while (capacity < _length + count)
        {
            capacity = checked(capacity * 2);
        }

        _buffer = (byte*)NativeMemory.Realloc(_buffer, (nuint)capacity);
        _capacity = capacity;
    }
}
