using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>
/// The whole key space at one revision, in <c>snapshot</c> in the data directory: the magic
/// <see cref="Frame.SnapshotMagic"/>, a header frame (sequence 0: <c>[i64 revision][i64 count]
/// [i64 attached]</c>; without the last field in snapshots written before leases), one frame per
/// key (sequence 1, 2, …: <c>[i32 keyLength][key utf-8][i64 mod revision][i64 create revision]
/// [value]</c>) and one per key attached to a lease (<c>[i64 lease][i64 ttl seconds][key utf-8]</c>),
/// so no frame is larger than one value plus <see cref="EntryOverhead"/> bytes however many keys
/// there are, and the file is read as a stream. Written to a temporary file, fsync'd, renamed over the old one and the directory
/// fsync'd, so a crash leaves either the old snapshot or the new one, never half: any damage
/// in it is corruption, and an error naming the file and offset.
/// </summary>
internal static class Snapshot
{
    /// <summary>Bytes of a key's frame payload besides its key and value.</summary>
    public const int EntryOverhead = 20;

    /// <summary>The file's name in the data directory.</summary>
    public const string FileName = "snapshot";

    /// <summary>Writes <paramref name="keys"/> as the snapshot at <paramref name="revision"/>, with the keys' leases and their times to live.</summary>
    public static void Write(string directory, long revision, KeySpace keys, IReadOnlyList<(string Key, long Lease, long TtlSeconds)> attached, IFileSync sync)
    {
        var path = Path.Combine(directory, FileName);
        var temp = path + ".tmp";
        var frame = new ArrayBufferWriter<byte>(64 << 10);
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
        {
            file.Write(Frame.SnapshotMagic);
            var header = frame.GetSpan(Frame.HeaderSize + 24)[..(Frame.HeaderSize + 24)];
            BinaryPrimitives.WriteInt64LittleEndian(header[Frame.HeaderSize..], revision);
            BinaryPrimitives.WriteInt64LittleEndian(header[(Frame.HeaderSize + 8)..], keys.Count);
            BinaryPrimitives.WriteInt64LittleEndian(header[(Frame.HeaderSize + 16)..], attached.Count);
            WriteFrame(file, frame, header, 0);
            long sequence = 0;
            foreach (var v in keys.All())
            {
                var size = Frame.HeaderSize + EntryOverhead + Encoding.UTF8.GetByteCount(v.Key) + v.Value.Length;
                var span = frame.GetSpan(size)[..size];
                var p = span[Frame.HeaderSize..];
                var keyLength = Encoding.UTF8.GetBytes(v.Key, p[4..]);
                BinaryPrimitives.WriteInt32LittleEndian(p, keyLength);
                p = p[(4 + keyLength)..];
                BinaryPrimitives.WriteInt64LittleEndian(p, v.ModRevision);
                BinaryPrimitives.WriteInt64LittleEndian(p[8..], v.CreateRevision);
                v.Value.Span.CopyTo(p[16..]);
                WriteFrame(file, frame, span, ++sequence);
            }

            foreach (var (key, lease, ttl) in attached)
            {
                var size = Frame.HeaderSize + 16 + Encoding.UTF8.GetByteCount(key);
                var span = frame.GetSpan(size)[..size];
                BinaryPrimitives.WriteInt64LittleEndian(span[Frame.HeaderSize..], lease);
                BinaryPrimitives.WriteInt64LittleEndian(span[(Frame.HeaderSize + 8)..], ttl);
                Encoding.UTF8.GetBytes(key, span[(Frame.HeaderSize + 16)..]);
                WriteFrame(file, frame, span, ++sequence);
            }

            sync.Flush(file);
        }

        File.Move(temp, path, overwrite: true);
        sync.FlushDirectory(directory);
    }

    /// <summary>Loads the snapshot into the empty <paramref name="keys"/> and <paramref name="leases"/>; returns its revision, or 0 when there is none.</summary>
    /// <exception cref="StoreCorruptionException">The snapshot is damaged or of another format; the message names the file and offset.</exception>
    public static long Load(string directory, KeySpace keys, LeaseTable leases)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return 0;
        }

        using var reader = FrameReader.Open(path, Frame.SnapshotMagic)
            ?? throw new StoreCorruptionException(path, 0, "the file is shorter than its magic", repairable: false);
        var header = Next(reader, 0).Span;
        if (header.Length is not (16 or 24))
        {
            throw Damaged(reader, Frame.MagicSize, $"the header frame has {header.Length} bytes, not 16 or 24");
        }

        var revision = BinaryPrimitives.ReadInt64LittleEndian(header);
        var count = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        var attached = header.Length == 24 ? BinaryPrimitives.ReadInt64LittleEndian(header[16..]) : 0;
        for (long i = 1; i <= count; i++)
        {
            var at = reader.Offset;
            var entry = Next(reader, i).Span;
            try
            {
                var keyLength = BinaryPrimitives.ReadInt32LittleEndian(entry);
                var key = Encoding.UTF8.GetString(entry.Slice(4, keyLength));
                var p = entry[(4 + keyLength)..];
                keys.Put(new StoreValue(key, p[16..].ToArray(), BinaryPrimitives.ReadInt64LittleEndian(p), BinaryPrimitives.ReadInt64LittleEndian(p[8..])));
            }
            catch (ArgumentOutOfRangeException)
            {
                throw Damaged(reader, at, $"entry {i} is shorter than its contents");
            }
        }

        for (var i = count + 1; i <= count + attached; i++)
        {
            var at = reader.Offset;
            var entry = Next(reader, i).Span;
            var key = entry.Length >= 16 ? Encoding.UTF8.GetString(entry[16..]) : null;
            if (key is null || keys.Get(key) is not { } value)
            {
                throw Damaged(reader, at, $"lease entry {i - count} names no key of the snapshot");
            }

            var lease = BinaryPrimitives.ReadInt64LittleEndian(entry);
            keys.Put(value with { Lease = lease });
            leases.Attach(key, lease, BinaryPrimitives.ReadInt64LittleEndian(entry[8..]));
        }

        if (reader.Next(out _, out _) != FrameStatus.End)
        {
            throw Damaged(reader, reader.Offset, $"{reader.Length - reader.Offset} bytes follow its {count} entries and {attached} leased keys");
        }

        return revision;
    }

    private static void WriteFrame(FileStream file, ArrayBufferWriter<byte> frame, Span<byte> span, long sequence)
    {
        Frame.Seal(span, sequence);
        file.Write(span);
        frame.ResetWrittenCount();
    }

    private static ReadOnlyMemory<byte> Next(FrameReader reader, long expected)
    {
        var at = reader.Offset;
        var status = reader.Next(out var sequence, out var payload);
        return status switch
        {
            FrameStatus.Ok when sequence == expected => payload,
            FrameStatus.Ok => throw Damaged(reader, at, $"frame {sequence} where frame {expected} was expected"),
            FrameStatus.End => throw Damaged(reader, at, $"the file ends before frame {expected}"),
            _ => throw Damaged(reader, at, reader.Problem),
        };
    }

    private static StoreCorruptionException Damaged(FrameReader reader, long offset, string problem) =>
        new(reader.Path, offset, $"the snapshot is damaged ({problem}); it was fsync'd before it took its name, so this is not a crash's doing, and the log before it is gone: restore the data directory from a backup", repairable: false);
}
