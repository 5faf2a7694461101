namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>How a segment's reading ended: cleanly (<see cref="FrameStatus.End"/>), or cut short or damaged at <see cref="Offset"/>.</summary>
/// <param name="Status"><see cref="FrameStatus.End"/>, <see cref="FrameStatus.Cut"/> or <see cref="FrameStatus.Corrupt"/>.</param>
/// <param name="Offset">Where the good records end: the length to keep.</param>
/// <param name="Length">The segment's length.</param>
/// <param name="Problem">What is wrong at <paramref name="Offset"/>; empty at the end.</param>
internal readonly record struct SegmentEnd(FrameStatus Status, long Offset, long Length, string Problem);

/// <summary>Reads the records of write-ahead log segments for recovery.</summary>
internal static class LogReplay
{
    /// <summary>
    /// Gives each record of the segment <paramref name="path"/> to <paramref name="apply"/> (its
    /// revision and payload; it returns null, or why the record is wrong there, e.g. out of
    /// sequence) and says how the segment ended. Never throws for damage in the records: the
    /// caller decides, with the segment's place, whether it is a write cut short or corruption.
    /// </summary>
    /// <exception cref="StoreCorruptionException">The segment does not start with the log's magic.</exception>
    public static SegmentEnd Read(string path, Func<long, ReadOnlyMemory<byte>, string?> apply)
    {
        using var reader = FrameReader.Open(path, Frame.LogMagic);
        if (reader is null)
        {
            return new SegmentEnd(FrameStatus.Cut, 0, new FileInfo(path).Length, "the segment is shorter than its magic");
        }

        while (true)
        {
            var at = reader.Offset;
            var status = reader.Next(out var revision, out var payload);
            if (status == FrameStatus.Ok && apply(revision, payload) is { } problem)
            {
                reader.Reject(at, problem);
                status = FrameStatus.Corrupt;
            }

            if (status != FrameStatus.Ok)
            {
                return new SegmentEnd(status, reader.Offset, reader.Length, status == FrameStatus.End ? "" : reader.Problem);
            }
        }
    }
}
