using System.Runtime.CompilerServices;

namespace KubeProxyFast.Api.Protobuf;

/// <summary>The protobuf wire types (the low three bits of a tag).</summary>
public enum WireType
{
    /// <summary>int32, int64, uint32, uint64, sint32, sint64, bool, enum.</summary>
    Varint = 0,
    /// <summary>fixed64, sfixed64, double.</summary>
    Fixed64 = 1,
    /// <summary>string, bytes, embedded messages, packed repeated fields.</summary>
    LengthDelimited = 2,
    /// <summary>Groups (proto2, deprecated): never used by Kubernetes, refused.</summary>
    StartGroup = 3,
    /// <summary>End of a group.</summary>
    EndGroup = 4,
    /// <summary>fixed32, sfixed32, float.</summary>
    Fixed32 = 5,
}

/// <summary>Varints and tags as the protobuf encoding defines them.</summary>
public static class ProtoWire
{
    /// <summary>Bytes the varint encoding of <paramref name="value"/> takes (1–10).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int VarintSize(ulong value) => ((63 - System.Numerics.BitOperations.LeadingZeroCount(value | 1)) / 7) + 1;

    /// <summary>Writes <paramref name="value"/> as a varint at the start of <paramref name="span"/>; returns the bytes written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteVarint(Span<byte> span, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        return i;
    }

    /// <summary>The tag of field <paramref name="number"/> with <paramref name="type"/>.</summary>
    public static uint Tag(int number, WireType type) => ((uint)number << 3) | (uint)type;

    /// <summary>Zig-zag encoding of sint32/sint64.</summary>
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>Zig-zag decoding of sint32/sint64.</summary>
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>A readable name of a wire type, for error messages.</summary>
    public static string Describe(WireType type) => type switch
    {
        WireType.Varint => "0 (varint)",
        WireType.Fixed64 => "1 (64-bit)",
        WireType.LengthDelimited => "2 (length-delimited)",
        WireType.StartGroup => "3 (start group)",
        WireType.EndGroup => "4 (end group)",
        WireType.Fixed32 => "5 (32-bit)",
        _ => ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
