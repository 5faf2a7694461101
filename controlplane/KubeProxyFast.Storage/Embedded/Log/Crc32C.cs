using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;

namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of log records and snapshots. System.IO.Hashing is not
/// referenced; SSE4.2 computes this polynomial in hardware, 8 bytes per instruction, and the
/// table fallback keeps other CPUs correct.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78; // reflected Castagnoli
    private static readonly uint[] Table = BuildTable();

    /// <summary>The checksum of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(~0u, data);

    /// <summary>Extends a running (not inverted) checksum <paramref name="crc"/> with <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            ulong c = crc;
            while (data.Length >= 8)
            {
                c = Sse42.X64.Crc32(c, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }

            crc = (uint)c;
        }

        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
