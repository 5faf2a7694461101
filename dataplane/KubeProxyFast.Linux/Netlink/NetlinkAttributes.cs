using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using static KubeProxyFast.Linux.Netlink.NetlinkConstants;

namespace KubeProxyFast.Linux.Netlink;

/// <summary>One attribute: its type (flags stripped) and value.</summary>
public readonly ref struct NetlinkAttribute
{
    /// <summary>An attribute of <paramref name="type"/> holding <paramref name="value"/>.</summary>
    public NetlinkAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        Type = type;
        Value = value;
    }

    /// <summary>nla_type without NLA_F_NESTED and NLA_F_NET_BYTEORDER.</summary>
    public ushort Type { get; }

    /// <summary>The payload, without padding.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>The attributes nested in this one.</summary>
    public NetlinkAttributes Nested => new(Value);

    /// <summary>An 8-bit value.</summary>
    public byte AsU8() => Value.Length >= 1 ? Value[0] : (byte)0;

    /// <summary>A 16-bit value in network byte order.</summary>
    public ushort AsU16() => Value.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Value) : (ushort)0;

    /// <summary>A 32-bit value in network byte order.</summary>
    public uint AsU32() => Value.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(Value) : 0;

    /// <summary>A 32-bit value in host byte order, as rtnetlink writes its integers.</summary>
    public uint AsHostU32() => Value.Length >= 4 ? MemoryMarshal.Read<uint>(Value) : 0;

    /// <summary>A 64-bit value in network byte order.</summary>
    public ulong AsU64() => Value.Length >= 8 ? BinaryPrimitives.ReadUInt64BigEndian(Value) : 0;

    /// <summary>A NUL-terminated string.</summary>
    public string AsString()
    {
        var end = Value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? Value : Value[..end]);
    }
}

/// <summary>Enumerates a run of attributes without allocating.</summary>
public readonly ref struct NetlinkAttributes
{
    private readonly ReadOnlySpan<byte> _buffer;

    /// <summary>The attributes laid out in <paramref name="buffer"/>.</summary>
    public NetlinkAttributes(ReadOnlySpan<byte> buffer) => _buffer = buffer;

    /// <summary>Enumerates the attributes in order.</summary>
    public Enumerator GetEnumerator() => new(_buffer);

    /// <summary>The first attribute of <paramref name="type"/>; false when absent.</summary>
    public bool TryFind(ushort type, out NetlinkAttribute attribute)
    {
        foreach (var a in this)
        {
            if (a.Type == type)
            {
                attribute = a;
                return true;
            }
        }

        attribute = default;
        return false;
    }

    /// <summary>The string attribute of <paramref name="type"/>, or null.</summary>
    public string? FindString(ushort type) => TryFind(type, out var a) ? a.AsString() : null;

    /// <summary>Walks the attributes of a buffer; a length that overruns it throws.</summary>
    public ref struct Enumerator
    {
        private ReadOnlySpan<byte> _rest;

        /// <summary>An enumerator before the first attribute of <paramref name="buffer"/>.</summary>
        public Enumerator(ReadOnlySpan<byte> buffer)
        {
            _rest = buffer;
            Current = default;
        }

        /// <summary>The attribute reached by the last <see cref="MoveNext"/>.</summary>
        public NetlinkAttribute Current { get; private set; }

        /// <summary>Moves to the next attribute; false at the end.</summary>
        public bool MoveNext()
        {
            if (_rest.Length < NLA_HDRLEN)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
            if (length < NLA_HDRLEN || length > _rest.Length)
            {
                NetlinkThrowHelper.ThrowMalformed($"attribute length {length} with {_rest.Length} bytes left");
            }

            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & NLA_TYPE_MASK);
            Current = new NetlinkAttribute(type, _rest[NLA_HDRLEN..length]);
            _rest = _rest[Math.Min(Align(length), _rest.Length)..];
            return true;
        }
    }
}
