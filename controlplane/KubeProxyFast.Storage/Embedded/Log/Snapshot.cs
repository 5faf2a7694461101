using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>
/// The whole key space at one revision, in <c>snapshot</c> in the data directory: a header frame
/// (magic, revision, entry count) and one frame per key (framed as log records, so each carries
/// its own checksum). Written to a temporary file, fsync'd, renamed over the old one and the
/// directory fsync'd, so a crash leaves either the old snapshot or the new one, never half.
/// </summary>
internal static class Snapshot
{
    private const string FileName = "snapshot";
    private const long Magic = 0x31_50_41_4E_53_46_50_4B; // "KPFSNAP1" little-endian

    /// <summary>Writes <paramref name="keys"/> as the snapshot at <paramref name="revision"/>.</summary>
    public static void Write(string directory, long revision, KeySpace keys)
    {
        var path = Path.Combine(directory, FileName);
        var temp = path + ".tmp";
        var frame = new ArrayBufferWriter<byte>(64 << 10);
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
        {
            var header = frame.GetSpan(WalRecord.HeaderSize + 24)[..(WalRecord.HeaderSize + 24)];
            BinaryPrimitives.WriteInt64LittleEndian(header[8..], Magic);
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], revision);
            BinaryPrimitives.WriteInt64LittleEndian(header[24..], keys.Count);
            WriteFrame(file, frame, header);
            foreach (var v in keys.All())
            {
                var size = WalRecord.HeaderSize + 4 + Encoding.UTF8.GetByteCount(v.Key) + 4 + v.Value.Length + 16;
                var span = frame.GetSpan(size)[..size];
                var keyLength = Encoding.UTF8.GetBytes(v.Key, span[12..]);
                BinaryPrimitives.WriteInt32LittleEndian(span[8..], keyLength);
                var p = span[(12 + keyLength)..];
                BinaryPrimitives.WriteInt32LittleEndian(p, v.Value.Length);
                v.Value.Span.CopyTo(p[4..]);
                p = p[(4 + v.Value.Length)..];
                BinaryPrimitives.WriteInt64LittleEndian(p, v.ModRevision);
                BinaryPrimitives.WriteInt64LittleEndian(p[8..], v.CreateRevision);
                WriteFrame(file, frame, span);
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        DirectorySync.Flush(directory);
    }

    /// <summary>Loads the snapshot into the empty <paramref name="keys"/>; returns its revision, or 0 when there is none.</summary>
    /// <exception cref="InvalidDataException">The snapshot is damaged (it was fsync'd before it was renamed into place, so this is real corruption).</exception>
    public static long Load(string directory, KeySpace keys)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return 0;
        }

        ReadOnlySpan<byte> data = File.ReadAllBytes(path);
        var header = Next(path, ref data);
        if (header.Length != 24 || BinaryPrimitives.ReadInt64LittleEndian(header) != Magic)
        {
            throw new InvalidDataException($"{path} is not a snapshot");
        }

        var revision = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        var count = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        for (long i = 0; i < count; i++)
        {
            var entry = Next(path, ref data);
            try
            {
                var keyLength = BinaryPrimitives.ReadInt32LittleEndian(entry);
                var key = Encoding.UTF8.GetString(entry.Slice(4, keyLength));
                var p = entry[(4 + keyLength)..];
                var valueLength = BinaryPrimitives.ReadInt32LittleEndian(p);
                var value = p.Slice(4, valueLength).ToArray();
                p = p[(4 + valueLength)..];
                keys.Put(new StoreValue(key, value, BinaryPrimitives.ReadInt64LittleEndian(p), BinaryPrimitives.ReadInt64LittleEndian(p[8..])));
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new InvalidDataException($"{path}: entry {i} is shorter than its contents", e);
            }
        }

        if (!data.IsEmpty)
        {
            throw new InvalidDataException($"{path} has {data.Length} bytes after its {count} entries");
        }

        return revision;
    }

    private static void WriteFrame(FileStream file, ArrayBufferWriter<byte> frame, Span<byte> span)
    {
        WalRecord.Seal(span);
        file.Write(span);
        frame.ResetWrittenCount();
    }

    private static ReadOnlySpan<byte> Next(string path, ref ReadOnlySpan<byte> data)
    {
        var status = WalRecord.TryRead(data, out var payload, out var size);
        if (status != FrameStatus.Ok)
        {
            throw new InvalidDataException($"{path} is damaged: {status} frame with {data.Length} bytes left");
        }

        data = data[size..];
        return payload;
    }
}
