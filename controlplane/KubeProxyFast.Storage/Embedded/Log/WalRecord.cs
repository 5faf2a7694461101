using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>One key's write in a committed revision, as the log keeps it: a put or a delete.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The new bytes; null for a delete.</param>
/// <param name="Lease">The lease a put attaches the key to, or 0.</param>
/// <param name="LeaseTtl">That lease's time to live in seconds (recovery recreates the lease from it).</param>
internal readonly record struct WalMutation(string Key, byte[]? Value, long Lease = 0, long LeaseTtl = 0);

/// <summary>
/// A log record: one committed revision in one <see cref="Frame"/> whose sequence is the
/// revision. Its payload is <c>[i32 count]{[u8 kind][i32 keyLength][key utf-8][i32 valueLength][value]}</c>
/// (a delete has no value; a put under a lease, kind 3, adds <c>[i64 lease][i64 ttl seconds]</c>).
/// Create revisions are not stored: replay derives them from the state.
/// </summary>
internal static class WalRecord
{
    private const byte KindPut = 1;
    private const byte KindDelete = 2;
    private const byte KindPutWithLease = 3;
    private const int LeaseBytes = 16;

    /// <summary>
    /// The payload size of a record of <paramref name="operations"/>: an upper bound of what a
    /// commit of them writes (deletes of absent keys are left out), checked before it is queued.
    /// </summary>
    public static long PayloadSize(IReadOnlyList<StoreOperation> operations)
    {
        long size = 4;
        foreach (var op in operations)
        {
            size += op is StorePut put ? MutationSize(op.Key, put.Value.Length, put.Lease) : MutationSize(op.Key, null, 0);
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
            total += MutationSize(m.Key, m.Value?.Length, m.Lease);
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
            p[0] = m.Value is null ? KindDelete : m.Lease != 0 ? KindPutWithLease : KindPut;
            var keyLength = Encoding.UTF8.GetBytes(m.Key, p[5..]);
            BinaryPrimitives.WriteInt32LittleEndian(p[1..], keyLength);
            p = p[(5 + keyLength)..];
            if (m.Value is not null)
            {
                BinaryPrimitives.WriteInt32LittleEndian(p, m.Value.Length);
                m.Value.CopyTo(p[4..]);
                p = p[(4 + m.Value.Length)..];
                if (m.Lease != 0)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(p, m.Lease);
                    BinaryPrimitives.WriteInt64LittleEndian(p[8..], m.LeaseTtl);
                    p = p[LeaseBytes..];
                }
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
            if (kind is not (KindPut or KindDelete or KindPutWithLease))
            {
                throw new InvalidDataException($"unknown mutation kind {kind}");
            }

            var key = Encoding.UTF8.GetString(Take(ref p, ReadLength(ref p, "key length"), "key"));
            var value = kind == KindDelete ? null : Take(ref p, ReadLength(ref p, "value length"), "value").ToArray();
            long lease = 0, ttl = 0;
            if (kind == KindPutWithLease)
            {
                var leaseBytes = Take(ref p, LeaseBytes, "lease");
                lease = BinaryPrimitives.ReadInt64LittleEndian(leaseBytes);
                ttl = BinaryPrimitives.ReadInt64LittleEndian(leaseBytes[8..]);
            }

            mutations.Add(new WalMutation(key, value, lease, ttl));
        }

        if (!p.IsEmpty)
        {
            throw new InvalidDataException($"{p.Length} bytes follow the record's {count} mutations");
        }
    }

    /// <summary>The one size rule of a mutation, for <see cref="PayloadSize"/> and <see cref="Write"/>: kind, key length, key, for a put value length and value, and its lease.</summary>
    private static long MutationSize(string key, int? valueLength, long lease) =>
        1 + 4 + Encoding.UTF8.GetByteCount(key) + (valueLength is { } length ? 4 + length : 0) + (lease != 0 ? LeaseBytes : 0);

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
