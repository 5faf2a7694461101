using System.Buffers.Binary;

namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>
/// The framing of format 2, shared by the log and the snapshot. A file starts with an 8-byte
/// magic naming its kind and format; then frames follow, each
/// <c>[i64 sequence][u32 length][u32 payload crc32c][u32 header crc32c][payload]</c>,
/// little-endian. The header checksum covers the sequence, the length and the payload checksum,
/// so a damaged length is caught before it is used (format 1 had one checksum over length and
/// payload, so a length pointing past the end could not be told from a write cut short). The
/// sequence is the revision in the log and the entry number in a snapshot: a frame that
/// verifies but is not the next one expected is damage too.
/// </summary>
internal static class Frame
{
    /// <summary>Bytes before the payload.</summary>
    public const int HeaderSize = 20;

    /// <summary>Bytes of the magic that starts every file.</summary>
    public const int MagicSize = 8;

    /// <summary>
    /// The longest payload a reader accepts, whatever the options of the store that wrote it.
    /// Writers stay below it: a transaction's record is at most
    /// <see cref="EmbeddedStoreOptions.MaxRequestBytes"/>, which may be at most
    /// <see cref="EmbeddedStoreOptions.MaxRequestBytesCeiling"/>, and a snapshot frame holds one
    /// key and value of such a record plus <see cref="Snapshot.EntryOverhead"/> bytes. It bounds
    /// the memory one record costs on replay.
    /// </summary>
    public const int MaxPayload = 64 << 20;

    /// <summary>The magic of a write-ahead log segment, format 2.</summary>
    public static ReadOnlySpan<byte> LogMagic => "KPFWAL02"u8;

    /// <summary>The magic of a snapshot, format 2.</summary>
    public static ReadOnlySpan<byte> SnapshotMagic => "KPFSNP02"u8;

    /// <summary>Fills in the header of <paramref name="frame"/> (header then payload) from its payload.</summary>
    public static void Seal(Span<byte> frame, long sequence)
    {
        BinaryPrimitives.WriteInt64LittleEndian(frame, sequence);
        BinaryPrimitives.WriteInt32LittleEndian(frame[8..], frame.Length - HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[12..], Crc32C.Compute(frame[HeaderSize..]));
        BinaryPrimitives.WriteUInt32LittleEndian(frame[16..], Crc32C.Compute(frame[..16]));
    }

    /// <summary>
    /// Reads a header: its sequence, payload length and payload checksum, or false when its
    /// checksum does not match or its length is impossible.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out long sequence, out int length, out uint payloadCrc)
    {
        sequence = BinaryPrimitives.ReadInt64LittleEndian(header);
        length = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        payloadCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        return Crc32C.Compute(header[..16]) == BinaryPrimitives.ReadUInt32LittleEndian(header[16..]) && length is >= 0 and <= MaxPayload;
    }
}
