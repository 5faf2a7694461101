using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>One key's write in a committed revision, as the log keeps it: a put or a delete.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The new bytes; null for a delete.</param>
internal readonly record struct WalMutation(string Key, byte[]? Value);

/// <summary>
/// A log record: one committed revision in one <see cref="Frame"/> whose sequence is the
/// revision. Its payload is <c>[i32 count]{[u8 kind][i32 keyLength][key utf-8][i32 valueLength][value]}</c>
/// (a delete has no value). Create revisions are not stored: replay derives them from the state.
/// </summary>
internal static class WalRecord
{
    private const byte KindPut = 1;
    private const byte KindDelete = 2;

    /// <summary>
    /// The payload size of a record of <paramref name="operations"/>: an upper bound of what a
    /// commit of them writes (deletes of absent keys are left out), checked before it is queued.
    /// </summary>
    public static long PayloadSize(IReadOnlyList<StoreOperation> operations)
    {
        long size = 4;
        foreach (var op in operations)
        {
            size += 1 + 4 + Encoding.UTF8.GetByteCount(op.Key) + (op is StorePut put ? 4 + put.Value.Length : 0);
        }

        return size;
    }

    /// <summary>Appends one framed record for <paramref name="revision"/> to <paramref name="buffer"/>.</summary>
    public static void Write(ArrayBufferWriter<byte> buffer, long revision, IReadOnlyList<WalMutation> mutations)
    {
        var size = 4;
        foreach (var m in mutations)
        {
            size += 1 + 4 + Encoding.UTF8.GetByteCount(m.Key) + (m.Value is null ? 0 : 4 + m.Value.Length);
        }

        var span = buffer.GetSpan(Frame.HeaderSize + size)[..(Frame.HeaderSize + size)];
        var p = span[Frame.HeaderSize..];
        BinaryPrimitives.WriteInt32LittleEndian(p, mutations.Count);
        p = p[4..];
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

        Frame.Seal(span, revision);
        buffer.Advance(span.Length);
    }

    /// <summary>Decodes a log record's payload into <paramref name="mutations"/>.</summary>
    /// <exception cref="InvalidDataException">The payload is malformed (its checksum matched, so a writer wrote it so: a bug).</exception>
    public static void Decode(ReadOnlySpan<byte> payload, List<WalMutation> mutations)
    {
        try
        {
            var count = BinaryPrimitives.ReadInt32LittleEndian(payload);
            var p = payload[4..];
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
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException("the record is shorter than its contents", e);
        }
    }
}
