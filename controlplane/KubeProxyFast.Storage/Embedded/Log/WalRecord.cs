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
            size += MutationSize(op.Key, op is StorePut put ? put.Value.Length : null);
        }

        return size;
    }

    /// <summary>Appends one framed record for <paramref name="revision"/> to <paramref name="buffer"/>.</summary>
    /// <exception cref="InvalidOperationException">The payload would be over <see cref="Frame.MaxPayload"/>, which no reader accepts (callers check <see cref="PayloadSize"/> first: a bug).</exception>
    public static void Write(ArrayBufferWriter<byte> buffer, long revision, IReadOnlyList<WalMutation> mutations)
    {
        long total = 4;
        foreach (var m in mutations)
        {
            total += MutationSize(m.Key, m.Value?.Length);
        }

        if (total > Frame.MaxPayload)
        {
            throw new InvalidOperationException($"the record of revision {revision} would be {total} bytes, over the {Frame.MaxPayload}-byte frame limit that recovery reads back");
        }

        var size = (int)total;
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
    /// <exception cref="InvalidDataException">The payload is malformed (its checksum matched, so a writer wrote it so: a bug, or damage the checksums missed).</exception>
    public static void Decode(ReadOnlySpan<byte> payload, List<WalMutation> mutations)
    {
        var p = payload;
        var count = ReadLength(ref p, "mutation count");
        for (var i = 0; i < count; i++)
        {
            if (p.IsEmpty)
            {
                throw new InvalidDataException($"the record says {count} mutations but holds {i}");
            }

            var kind = p[0];
            p = p[1..];
            if (kind is not (KindPut or KindDelete))
            {
                throw new InvalidDataException($"unknown mutation kind {kind}");
            }

            var key = Encoding.UTF8.GetString(Take(ref p, ReadLength(ref p, "key length"), "key"));
            var value = kind == KindPut ? Take(ref p, ReadLength(ref p, "value length"), "value").ToArray() : null;
            mutations.Add(new WalMutation(key, value));
        }

        if (!p.IsEmpty)
        {
            throw new InvalidDataException($"{p.Length} bytes follow the record's {count} mutations");
        }
    }

    /// <summary>The one size rule of a mutation, for <see cref="PayloadSize"/> and <see cref="Write"/>: kind, key length, key, and for a put value length and value.</summary>
    private static long MutationSize(string key, int? valueLength) =>
        1 + 4 + Encoding.UTF8.GetByteCount(key) + (valueLength is { } length ? 4 + length : 0);

    private static int ReadLength(ref ReadOnlySpan<byte> p, string what)
    {
        if (p.Length < 4)
        {
            throw new InvalidDataException($"the record ends inside a {what}");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(p);
        if (length < 0)
        {
            throw new InvalidDataException($"negative {what} {length}");
        }

        p = p[4..];
        return length;
    }

    private static ReadOnlySpan<byte> Take(ref ReadOnlySpan<byte> p, int length, string what)
    {
        if (p.Length < length)
        {
            throw new InvalidDataException($"the {what} of {length} bytes runs past the end of the record");
        }

        var taken = p[..length];
        p = p[length..];
        return taken;
    }
}
