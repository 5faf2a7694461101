namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>What <see cref="FrameReader.Next"/> found at <see cref="FrameReader.Offset"/>.</summary>
internal enum FrameStatus
{
    /// <summary>A frame whose checksums match; the reader moved past it.</summary>
    Ok,
    /// <summary>The end of the file, exactly at a frame boundary.</summary>
    End,
    /// <summary>
    /// The file ends inside this frame: fewer bytes than a header, or a header that verifies and
    /// a payload that runs past the end. This is what a write cut short leaves.
    /// </summary>
    Cut,
    /// <summary>A header or payload that does not verify, with the whole frame's bytes present: damage.</summary>
    Corrupt,
}

/// <summary>
/// Reads the frames of one file in order, streaming: one payload buffer, as large as the largest
/// frame, never the whole file (a snapshot of many objects may be larger than an array can be).
/// </summary>
internal sealed class FrameReader : IDisposable
{
    private readonly FileStream _file;
    private readonly byte[] _header = new byte[Frame.HeaderSize];
    private byte[] _payload = new byte[64 << 10];

    private FrameReader(string path, FileStream file)
    {
        Path = path;
        _file = file;
        Length = file.Length;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The file's length when opened.</summary>
    public long Length { get; }

    /// <summary>Where the next frame starts (after <see cref="FrameStatus.Cut"/> or <see cref="FrameStatus.Corrupt"/>: where the bad one starts).</summary>
    public long Offset { get; private set; }

    /// <summary>What is wrong at <see cref="Offset"/>, after <see cref="FrameStatus.Cut"/> or <see cref="FrameStatus.Corrupt"/>.</summary>
    public string Problem { get; private set; } = "";

    /// <summary>
    /// Opens <paramref name="path"/> and checks its magic. Returns null when the file is shorter
    /// than the magic and what it holds is a prefix of it (a file created but not yet written).
    /// </summary>
    /// <exception cref="StoreCorruptionException">The file does not start with <paramref name="magic"/>: another format, or not a file of ours.</exception>
    public static FrameReader? Open(string path, ReadOnlySpan<byte> magic)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            Span<byte> start = stackalloc byte[Frame.MagicSize];
            var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            if (read < Frame.MagicSize && magic.StartsWith(start[..read]))
            {
                file.Dispose();
                return null;
            }

            if (!start.SequenceEqual(magic))
            {
                throw new StoreCorruptionException(path, 0,
                    $"it does not start with \"{System.Text.Encoding.ASCII.GetString(magic)}\": it was written in another format (format 1 by a kpf before " +
                    "2026-12, which this version does not read: move the data directory aside) or it is not a file of the store", repairable: false);
            }

            return new FrameReader(path, file) { Offset = Frame.MagicSize };
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads the frame at <see cref="Offset"/>; on <see cref="FrameStatus.Ok"/> the payload stays valid until the next call.</summary>
    public FrameStatus Next(out long sequence, out ReadOnlyMemory<byte> payload)
    {
        sequence = 0;
        payload = default;
        var left = Length - Offset;
        if (left == 0)
        {
            return FrameStatus.End;
        }

        if (left < Frame.HeaderSize)
        {
            Problem = $"the file ends {left} bytes into a frame header";
            return FrameStatus.Cut;
        }

        _file.Position = Offset;
        _file.ReadExactly(_header);
        if (!Frame.TryReadHeader(_header, out sequence, out var length, out var payloadCrc))
        {
            Problem = "the frame header does not verify (its checksum does not match, or its length is over the 64 MiB limit)";
            return FrameStatus.Corrupt;
        }

        if (left - Frame.HeaderSize < length)
        {
            Problem = $"the frame of {length} bytes runs {length - (left - Frame.HeaderSize)} bytes past the end of the file";
            return FrameStatus.Cut;
        }

        if (_payload.Length < length)
        {
            _payload = new byte[Math.Max(length, Math.Min(_payload.Length * 2, Frame.MaxPayload))];
        }

        _file.ReadExactly(_payload.AsSpan(0, length));
        if (Crc32C.Compute(_payload.AsSpan(0, length)) != payloadCrc)
        {
            Problem = $"the checksum of the frame's {length}-byte payload does not match";
            return FrameStatus.Corrupt;
        }

        payload = _payload.AsMemory(0, length);
        Offset += Frame.HeaderSize + length;
        return FrameStatus.Ok;
    }

    /// <summary>Marks the frame just read as bad after all (e.g. out of sequence), for the caller's error.</summary>
    public void Reject(long frameOffset, string problem)
    {
        Offset = frameOffset;
        Problem = problem;
    }

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();
}
