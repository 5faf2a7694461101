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
    /// <summary>How many flipped bits still make a magic a damaged one of ours rather than another file's (the log's and the snapshot's differ in 7).</summary>
    private const int MaxMagicBitFlips = 4;

    private readonly FileStream _file;
    private readonly byte[] _header = new byte[Frame.HeaderSize];
    private byte[] _payload = new byte[64 << 10];
    private bool _magicDamaged;

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
    /// A magic a few bits away from <paramref name="magic"/> is damage, not another format: the
    /// reader then stops at offset 0 with <see cref="FrameStatus.Corrupt"/> and the caller
    /// decides, as for any damaged frame, whether it is repairable.
    /// </summary>
    /// <exception cref="StoreCorruptionException">The file does not start with <paramref name="magic"/> nor anything near it: another format, or not a file of ours.</exception>
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

            if (read == Frame.MagicSize && !start.SequenceEqual(magic) && BitsApart(start, magic) <= MaxMagicBitFlips)
            {
                return new FrameReader(path, file)
                {
                    _magicDamaged = true,
                    Problem = $"its magic is damaged (\"{Printable(start)}\" where \"{Printable(magic)}\" belongs)",
                };
            }

            if (!start.SequenceEqual(magic))
            {
                throw new StoreCorruptionException(path, 0, $"it does not start with \"{Printable(magic)}\": " + (LooksLikeFormatOne(start[..read])
                        ? "it looks like format 1 (written by a kpf before 2026-12), which this version does not read: move the data directory aside"
                        : "it is not a file of the store, or of a format this version does not know"),
                    repairable: false);
            }

            return new FrameReader(path, file) { Offset = Frame.MagicSize };
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static int BitsApart(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var bits = 0;
        for (var i = 0; i < a.Length; i++)
        {
            bits += System.Numerics.BitOperations.PopCount((uint)(a[i] ^ b[i]));
        }

        return bits;
    }

    /// <summary>Format 1 had no magic: its files start with a frame, <c>[u32 length][u32 crc32c]</c>, the length at most 256 MiB.</summary>
    private static bool LooksLikeFormatOne(ReadOnlySpan<byte> start) =>
        start.Length == Frame.MagicSize && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(start) is > 0 and <= 256 << 20;

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new System.Text.StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        }

        return text.ToString();
    }

    /// <summary>Reads the frame at <see cref="Offset"/>; on <see cref="FrameStatus.Ok"/> the payload stays valid until the next call.</summary>
    public FrameStatus Next(out long sequence, out ReadOnlyMemory<byte> payload)
    {
        sequence = 0;
        payload = default;
        if (_magicDamaged)
        {
            return FrameStatus.Corrupt;
        }

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
