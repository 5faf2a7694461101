using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>One key's write in a committed revision, as the log keeps it: a put or a delete.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The new bytes; null for a delete.</param>
internal readonly record struct WalMutation(string Key, byte[]? Value);

/// <summary>
/// The framing shared by the log and the snapshot: <c>[u32 length][u32 crc32c][payload]</c>,
/// little-endian, the checksum covering the length bytes and the payload so a corrupted length
/// is caught too. A log record's payload is one committed revision:
/// <c>[i64 revision][i32 count]{[u8 kind][i32 keyLength][key utf-8][i32 valueLength][value]}</c>
/// (a delete has no value). Create revisions are not stored: replay derives them from the state.
/// </summary>
internal static class WalRecord
{
    /// <summary>Bytes before the payload.</summary>
    public const int HeaderSize = 8;

    /// <summary>A record longer than this is garbage, not a transaction (values are Kubernetes objects, at most a few MB).</summary>
    public const int MaxPayload = 256 << 20;

    private const byte KindPut = 1;
    private const byte KindDelete = 2;

    /// <summary>Appends one framed record for <paramref name="revision"/> to <paramref name="buffer"/>.</summary>
    public static void Write(ArrayBufferWriter<byte> buffer, long revision, IReadOnlyList<WalMutation> mutations)
    {
        var size = 12;
        foreach (var m in mutations)
        {
            size += 1 + 4 + Encoding.UTF8.GetByteCount(m.Key) + (m.Value is null ? 0 : 4 + m.Value.Length);
        }

        var span = buffer.GetSpan(HeaderSize + size)[..(HeaderSize + size)];
        var p = span[HeaderSize..];
        BinaryPrimitives.WriteInt64LittleEndian(p, revision);
        BinaryPrimitives.WriteInt32LittleEndian(p[8..], mutations.Count);
        p = p[12..];
        foreach (var m in mutations)
        {
            p[0] = m.Value is null ? KindDelete : KindPut;
            var keyLength = Encoding.UTF8.GetBytes(m.Key, p[5..]);
            BinaryPrimitives.WriteInt32LittleEndian(p[1..], keyLength);
            p = p[(5 + keyLength)..];
            if (m.Value is not null)
            {
                BinaryPrimitives.WriteInt32LittleEndian(p, m.Value.Length);
                m.Value.CopyTo(p[4..]);
                p = p[(4 + m.Value.Length)..];
            }
        }

        Seal(span);
        buffer.Advance(span.Length);
    }

    /// <summary>Fills in the header of <paramref name="frame"/> (header + payload) from its payload.</summary>
    public static void Seal(Span<byte> frame)
    {
        BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length - HeaderSize);
        var crc = Crc32C.Append(Crc32C.Append(~0u, frame[..4]), frame[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], ~crc);
    }

    /// <summary>
    /// Reads the frame at the start of <paramref name="data"/>: its payload and total size, or
    /// why there is none — too few bytes (<see cref="FrameStatus.Incomplete"/>) or a checksum
    /// that does not match (<see cref="FrameStatus.Corrupt"/>).
    /// </summary>
    public static FrameStatus TryRead(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> payload, out int frameSize)
    {
        payload = default;
        frameSize = 0;
        if (data.Length < HeaderSize)
        {
            return FrameStatus.Incomplete;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (length is < 0 or > MaxPayload)
        {
            return FrameStatus.Corrupt;
        }

        if (data.Length - HeaderSize < length)
        {
            return FrameStatus.Incomplete;
        }

        payload = data.Slice(HeaderSize, length);
        frameSize = HeaderSize + length;
        var crc = ~Crc32C.Append(Crc32C.Append(~0u, data[..4]), payload);
        return crc == BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) ? FrameStatus.Ok : FrameStatus.Corrupt;
    }

    /// <summary>Decodes a log record's payload.</summary>
    /// <exception cref="InvalidDataException">The payload is malformed.</exception>
    public static long Decode(ReadOnlySpan<byte> payload, List<WalMutation> mutations)
    {
        try
        {
            var revision = BinaryPrimitives.ReadInt64LittleEndian(payload);
            var count = BinaryPrimitives.ReadInt32LittleEndian(payload[8..]);
            var p = payload[12..];
            for (var i = 0; i < count; i++)
            {
                var kind = p[0];
                var keyLength = BinaryPrimitives.ReadInt32LittleEndian(p[1..]);
                var key = Encoding.UTF8.GetString(p.Slice(5, keyLength));
                p = p[(5 + keyLength)..];
                byte[]? value = null;
                if (kind == KindPut)
                {
                    var valueLength = BinaryPrimitives.ReadInt32LittleEndian(p);
                    value = p.Slice(4, valueLength).ToArray();
                    p = p[(4 + valueLength)..];
                }
                else if (kind != KindDelete)
                {
                    throw new InvalidDataException($"unknown mutation kind {kind}");
                }

                mutations.Add(new WalMutation(key, value));
            }

            return revision;
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException("log record shorter than its contents", e);
        }
    }
}

/// <summary>What <see cref="WalRecord.TryRead"/> found.</summary>
internal enum FrameStatus
{
    /// <summary>A whole record with a matching checksum.</summary>
    Ok,
    /// <summary>Fewer bytes than the header or the length says: a write cut short.</summary>
    Incomplete,
    /// <summary>A whole record whose checksum does not match, or an impossible length.</summary>
    Corrupt,
}
