using System.Globalization;

namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>
/// The write-ahead log: segment files <c>wal-&lt;first revision&gt;.log</c> in the data directory,
/// appended to by one writer. <see cref="Append"/> returns only once the bytes are fsync'd, which
/// is what makes an acknowledged commit survive <c>kill -9</c> and power loss. After a snapshot,
/// <see cref="Rotate"/> starts a new segment and deletes the ones the snapshot covers.
/// </summary>
internal sealed class WriteAheadLog : IDisposable
{
    private const string Prefix = "wal-";
    private const string Suffix = ".log";

    private readonly string _directory;
    private FileStream _segment;

    private WriteAheadLog(string directory, FileStream segment)
    {
        _directory = directory;
        _segment = segment;
    }

    /// <summary>Bytes in the current segment.</summary>
    public long SegmentBytes => _segment.Length;

    /// <summary>The segments in <paramref name="directory"/>, oldest first.</summary>
    public static IReadOnlyList<(long FirstRevision, string Path)> Segments(string directory)
    {
        var segments = new List<(long, string)>();
        foreach (var path in Directory.EnumerateFiles(directory, Prefix + "*" + Suffix))
        {
            var name = Path.GetFileName(path);
            if (long.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                segments.Add((first, path));
            }
        }

        segments.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return segments;
    }

    /// <summary>Continues appending to the existing segment <paramref name="path"/>, cut to <paramref name="validLength"/> (dropping a torn tail).</summary>
    public static WriteAheadLog Continue(string directory, string path, long validLength)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        if (stream.Length != validLength)
        {
            stream.SetLength(validLength);
            stream.Flush(flushToDisk: true);
        }

        stream.Seek(0, SeekOrigin.End);
        return new WriteAheadLog(directory, stream);
    }

    /// <summary>Creates the first segment of an empty data directory.</summary>
    public static WriteAheadLog Create(string directory, long firstRevision) =>
        new(directory, CreateSegment(directory, firstRevision));

    /// <summary>
    /// Reads the records of one segment, giving each payload to <paramref name="onRecord"/>, and
    /// returns the length of its valid part. A record cut short, or a bad last record, or zeros
    /// to the end, in the last segment is a torn tail left by a crash mid-write: it ends the
    /// segment (the write was never acknowledged). Anything else bad is corruption.
    /// </summary>
    /// <exception cref="InvalidDataException">A bad record with good data after it, or in an older segment.</exception>
    public static long Read(string path, bool isLast, Action<ReadOnlyMemory<byte>> onRecord)
    {
        var data = File.ReadAllBytes(path);
        var offset = 0;
        while (offset < data.Length)
        {
            var status = WalRecord.TryRead(data.AsSpan(offset), out var payload, out var size);
            if (status == FrameStatus.Ok)
            {
                onRecord(data.AsMemory(offset + WalRecord.HeaderSize, payload.Length));
                offset += size;
                continue;
            }

            var lastRecord = status == FrameStatus.Incomplete || offset + size == data.Length || data.AsSpan(offset).IndexOfAnyExcept((byte)0) < 0;
            if (isLast && lastRecord)
            {
                return offset;
            }

            throw new InvalidDataException($"write-ahead log {path} is corrupt at offset {offset} of {data.Length}: {status} record");
        }

        return offset;
    }

    /// <summary>Appends framed records and fsyncs them.</summary>
    /// <exception cref="IOException">The disk failed; whether the bytes are on it is unknown.</exception>
    public void Append(ReadOnlySpan<byte> records)
    {
        _segment.Write(records);
        _segment.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Starts segment <paramref name="firstRevision"/> and deletes the older ones; call only once
    /// a snapshot at <paramref name="firstRevision"/> - 1 is durable.
    /// </summary>
    public void Rotate(long firstRevision)
    {
        var next = CreateSegment(_directory, firstRevision);
        _segment.Dispose();
        _segment = next;
        foreach (var (first, path) in Segments(_directory))
        {
            if (first < firstRevision)
            {
                File.Delete(path);
            }
        }

        DirectorySync.Flush(_directory);
    }

    /// <inheritdoc/>
    public void Dispose() => _segment.Dispose();

    private static FileStream CreateSegment(string directory, long firstRevision)
    {
        var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{firstRevision:D20}{Suffix}"));
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        DirectorySync.Flush(directory);
        return stream;
    }
}
