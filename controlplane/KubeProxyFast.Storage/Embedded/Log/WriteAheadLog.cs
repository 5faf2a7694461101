using System.Globalization;

namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>
/// The write-ahead log: segment files <c>wal-&lt;first revision&gt;.log</c> in the data directory,
/// each starting with <see cref="Frame.LogMagic"/>, appended to by one writer. <see cref="Append"/>
/// returns only once the bytes are fsync'd, which is what makes an acknowledged commit survive
/// <c>kill -9</c> and power loss. After a snapshot, <see cref="Rotate"/> starts a new segment and
/// deletes the ones the snapshot covers. Reading is <see cref="LogReplay"/>'s.
/// </summary>
internal sealed class WriteAheadLog : IDisposable
{
    private const string Prefix = "wal-";
    private const string Suffix = ".log";

    private readonly string _directory;
    private readonly IFileSync _sync;
    private FileStream _segment;

    private WriteAheadLog(string directory, IFileSync sync, FileStream segment, long firstRevision)
    {
        _directory = directory;
        _sync = sync;
        _segment = segment;
        FirstRevision = firstRevision;
    }

    /// <summary>Bytes in the current segment.</summary>
    public long SegmentBytes => _segment.Length;

    /// <summary>The revision the current segment starts at (its name).</summary>
    public long FirstRevision { get; private set; }

    /// <summary>The segments in <paramref name="directory"/>, oldest first.</summary>
    public static IReadOnlyList<(long FirstRevision, string Path)> Segments(string directory)
    {
        var segments = new List<(long, string)>();
        foreach (var path in Directory.EnumerateFiles(directory, Prefix + "*" + Suffix))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(Suffix, StringComparison.Ordinal)
                && long.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                segments.Add((first, path));
            }
        }

        segments.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return segments;
    }

    /// <summary>
    /// Continues appending to the existing segment <paramref name="path"/> (which starts at
    /// <paramref name="firstRevision"/>), cut to
    /// <paramref name="validLength"/> (dropping a write cut short, or what a repair cut off);
    /// below the magic's length the segment is started again.
    /// </summary>
    public static WriteAheadLog Continue(string directory, string path, long firstRevision, long validLength, IFileSync sync)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            if (validLength < Frame.MagicSize)
            {
                stream.SetLength(0);
                stream.Write(Frame.LogMagic);
                sync.Flush(stream);
            }
            else if (stream.Length != validLength)
            {
                stream.SetLength(validLength);
                sync.Flush(stream);
            }

            stream.Seek(0, SeekOrigin.End);
            return new WriteAheadLog(directory, sync, stream, firstRevision);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Creates the first segment of an empty data directory.</summary>
    public static WriteAheadLog Create(string directory, long firstRevision, IFileSync sync) =>
        new(directory, sync, CreateSegment(directory, firstRevision, sync), firstRevision);

    /// <summary>Appends framed records and fsyncs them.</summary>
    /// <exception cref="IOException">The disk failed; whether the bytes are on it is unknown.</exception>
    public void Append(ReadOnlySpan<byte> records)
    {
        _segment.Write(records);
        _sync.Flush(_segment);
    }

    /// <summary>
    /// Starts segment <paramref name="firstRevision"/> and deletes the older ones; call only once
    /// a snapshot at <paramref name="firstRevision"/> - 1 is durable.
    /// </summary>
    public void Rotate(long firstRevision)
    {
        var next = CreateSegment(_directory, firstRevision, _sync);
        _segment.Dispose();
        _segment = next;
        FirstRevision = firstRevision;
        foreach (var (first, path) in Segments(_directory))
        {
            if (first < firstRevision)
            {
                File.Delete(path);
            }
        }

        _sync.FlushDirectory(_directory);
    }

    /// <inheritdoc/>
    public void Dispose() => _segment.Dispose();

    private static FileStream CreateSegment(string directory, long firstRevision, IFileSync sync)
    {
        var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{firstRevision:D20}{Suffix}"));
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            // The magic is durable before any record follows it: a crash can leave a segment
            // shorter than the magic only while it holds nothing.
            stream.Write(Frame.LogMagic);
            sync.Flush(stream);
            sync.FlushDirectory(directory);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
