using System.Buffers.Binary;
using System.Text;
using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Storage.Embedded.Log;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Storage.Tests.Embedded;

/// <summary>
/// Reopening a data directory whose log or snapshot was damaged (issue 12, defect 6): only a
/// write cut short at the very end is dropped, and logged; every other damage stops the store
/// with an error naming the file and the byte offset, and a repair keeps a copy.
/// </summary>
public sealed class EmbeddedStoreRecoveryTests : IDisposable
{
    private const int Records = 20;
    private const int FrameHeader = 20; // [i64 sequence][u32 length][u32 payload crc][u32 header crc]
    private const int Magic = 8;

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("kpf-recovery-");
    private readonly RecordingLogger _log = new();

    public void Dispose() => _data.Delete(recursive: true);

    private EmbeddedStore Open(bool repair = false, long snapshotAfterBytes = 64 << 20) =>
        EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _data.FullName, Repair = repair, Logger = _log, SnapshotAfterBytes = snapshotAfterBytes });

    private string Segment() => Assert.Single(Directory.GetFiles(_data.FullName, "wal-*.log"));

    /// <summary>Writes <see cref="Records"/> acknowledged creates, closes the store, and returns the start offset of each record in the segment.</summary>
    private async Task<List<long>> WriteRecordsAsync()
    {
        await using (var store = Open())
        {
            for (var i = 0; i < Records; i++)
            {
                await store.CommitAsync(new StoreTxn([StoreCondition.Absent($"/k/{i:D2}")], [new StorePut($"/k/{i:D2}", Encoding.UTF8.GetBytes($"value {i}"))]));
            }
        }

        var bytes = File.ReadAllBytes(Segment());
        var offsets = new List<long>();
        for (long at = Magic; at < bytes.Length; at += FrameHeader + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan((int)at + 8)))
        {
            offsets.Add(at);
        }

        Assert.Equal(Records, offsets.Count);
        return offsets;
    }

    private static async Task<string[]> KeysAsync(EmbeddedStore store) =>
        (await store.ListAsync("/k/")).Items.Select(i => Encoding.UTF8.GetString(i.Value.Span)).ToArray();

    private static string[] Values(int count) => Enumerable.Range(0, count).Select(i => $"value {i}").ToArray();

    private void Damage(Action<byte[]> change)
    {
        var bytes = File.ReadAllBytes(Segment());
        change(bytes);
        File.WriteAllBytes(Segment(), bytes);
    }

    private StoreCorruptionException AssertRefused(long offset)
    {
        var e = Assert.Throws<StoreCorruptionException>(() => Open());
        Assert.Equal(Segment(), e.FilePath);
        Assert.Equal(offset, e.Offset);
        Assert.Contains(Segment(), e.Message, StringComparison.Ordinal);
        Assert.Contains($"byte offset {offset}", e.Message, StringComparison.Ordinal);
        Assert.True(e.Repairable);
        return e;
    }

    [Theory]
    [InlineData(7)] // inside the header
    [InlineData(FrameHeader + 3)] // inside the payload
    public async Task Open_WriteCutShortAtTheEnd_DropsOnlyItAndLogsIt(int cutAfter)
    {
        var offsets = await WriteRecordsAsync();
        var whole = new FileInfo(Segment()).Length;
        // What kill -9 in the middle of an append leaves: the first bytes of a record that was never acknowledged.
        var record = File.ReadAllBytes(Segment()).AsSpan((int)offsets[^1], cutAfter).ToArray();
        await using (var file = new FileStream(Segment(), FileMode.Append))
        {
            file.Write(record);
        }

        await using (var store = Open())
        {
            Assert.Equal(Values(Records), await KeysAsync(store));
            Assert.Equal(whole, new FileInfo(Segment()).Length);
            await store.CommitAsync(new StoreTxn([], [new StorePut("/k/new", "new"u8.ToArray())]));
        }

        var warning = Assert.Single(_log.Lines, l => l.Level == LogLevel.Warning);
        Assert.Contains($"{Segment()}: dropped the last {cutAfter} bytes, from byte offset {whole}", warning.Message, StringComparison.Ordinal);
        await using var again = Open();
        Assert.Equal(Records + 1, (await KeysAsync(again)).Length);
    }

    [Fact]
    public async Task Open_LengthFieldPointingPastTheEnd_RefusesNamingFileAndOffset()
    {
        var offsets = await WriteRecordsAsync();
        // Format 1 read this as a write cut short and dropped this record and the 14 after it.
        Damage(b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan((int)offsets[5] + 8), b.Length));

        AssertRefused(offsets[5]);
    }

    [Fact]
    public async Task Open_LastLengthFieldPointingPastTheEnd_RefusesNamingFileAndOffset()
    {
        var offsets = await WriteRecordsAsync();
        Damage(b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan((int)offsets[^1] + 8), 1 << 20));

        AssertRefused(offsets[^1]);
    }

    [Fact]
    public async Task Open_ZeroedTail_RefusesNamingFileAndOffset()
    {
        var offsets = await WriteRecordsAsync();
        Damage(b => b.AsSpan((int)offsets[12]).Clear());

        AssertRefused(offsets[12]);
    }

    [Fact]
    public async Task Open_BadLastRecord_RefusesNamingFileAndOffset()
    {
        var offsets = await WriteRecordsAsync();
        Damage(b => b[^2] ^= 0x01);

        AssertRefused(offsets[^1]);
    }

    [Fact]
    public async Task Open_CorruptMiddleRecordFollowedByValidOnes_RefusesNamingFileAndOffset()
    {
        var offsets = await WriteRecordsAsync();
        Damage(b => b[(int)offsets[3] + FrameHeader + 6] ^= 0x40);

        var e = AssertRefused(offsets[3]);

        Assert.Contains("--repair", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_RecordOutOfSequence_RefusesNamingFileAndOffset()
    {
        var offsets = await WriteRecordsAsync();
        // Drop record 4 whole: every frame still verifies, but revision 6 is missing.
        var bytes = File.ReadAllBytes(Segment());
        File.WriteAllBytes(Segment(), [.. bytes[..(int)offsets[4]], .. bytes[(int)offsets[5]..]]);

        var e = AssertRefused(offsets[4]);

        Assert.Contains("where revision 6 belongs", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Appends a frame whose checksums match around <paramref name="payload"/>: damage the checksums cannot see.</summary>
    private long AppendVerifyingFrame(long revision, byte[] payload)
    {
        var frame = new byte[FrameHeader + payload.Length];
        payload.CopyTo(frame, FrameHeader);
        Frame.Seal(frame, revision);
        var at = new FileInfo(Segment()).Length;
        using var file = new FileStream(Segment(), FileMode.Append);
        file.Write(frame);
        return at;
    }

    /// <summary>A record payload of one put of <c>/k/x</c> whose count says <paramref name="count"/>, followed by <paramref name="trailing"/> bytes.</summary>
    private static byte[] OnePut(int count, int trailing)
    {
        byte[] put = [1, 4, 0, 0, 0, .. "/k/x"u8, 1, 0, 0, 0, (byte)'x'];
        var payload = new byte[4 + put.Length + trailing];
        BinaryPrimitives.WriteInt32LittleEndian(payload, count);
        put.CopyTo(payload, 4);
        return payload;
    }

    [Fact]
    public async Task Open_RecordCountingMoreMutationsThanItHolds_RefusesNamingFileAndOffset()
    {
        await WriteRecordsAsync();
        var at = AppendVerifyingFrame(Records + 2, OnePut(count: 3, trailing: 0));

        var e = AssertRefused(at);

        Assert.Contains("says 3 mutations but holds 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_RecordWithBytesAfterItsMutations_RefusesNamingFileAndOffset()
    {
        await WriteRecordsAsync();
        var at = AppendVerifyingFrame(Records + 2, OnePut(count: 1, trailing: 3));

        var e = AssertRefused(at);

        Assert.Contains("3 bytes follow the record's 1 mutations", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_BitFlipInTheLogMagic_RefusesAsRepairableDamageAtOffsetZero()
    {
        await WriteRecordsAsync();
        Damage(b => b[3] ^= 0x02);

        var e = AssertRefused(0);

        Assert.Contains("magic is damaged", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("format 1", e.Message, StringComparison.Ordinal);
        await using var repaired = Open(repair: true);
        Assert.Empty(await KeysAsync(repaired));
        Assert.Single(Directory.GetFiles(_data.FullName, "wal-*.log.*.corrupt"));
    }

    [Fact]
    public async Task Open_FileOfAnotherKind_RefusesWithoutNamingFormatOne()
    {
        await File.WriteAllBytesAsync(Path.Combine(_data.FullName, "wal-00000000000000000002.log"), "#!/bin/sh\necho hello\n"u8.ToArray());

        var e = Assert.Throws<StoreCorruptionException>(() => Open(repair: true));

        Assert.Equal(0, e.Offset);
        Assert.False(e.Repairable);
        Assert.Contains("not a file of the store", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("format 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_WithRepair_KeepsACopyCutsAtTheLastGoodRecordAndLogsWhatItDropped()
    {
        var offsets = await WriteRecordsAsync();
        Damage(b => b[(int)offsets[7] + FrameHeader + 6] ^= 0x40);
        var damaged = File.ReadAllBytes(Segment());

        await using (var store = Open(repair: true))
        {
            Assert.Equal(Values(7), await KeysAsync(store));
            Assert.Equal(offsets[7], new FileInfo(Segment()).Length);
            await store.CommitAsync(new StoreTxn([], [new StorePut("/k/after", "after"u8.ToArray())]));
        }

        var copy = Assert.Single(Directory.GetFiles(_data.FullName, "wal-*.log.*.corrupt"));
        Assert.Equal(damaged, File.ReadAllBytes(copy));
        var error = Assert.Single(_log.Lines, l => l.Level == LogLevel.Error);
        Assert.Contains($"repair: {Segment()} is damaged at byte offset {offsets[7]}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"kept a copy as {copy}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"dropping {damaged.Length - offsets[7]} bytes: every revision after 8", error.Message, StringComparison.Ordinal);
        await using var reopened = Open();
        string[] expected = [.. Values(7), "after"];
        Assert.Equal(expected, await KeysAsync(reopened));
    }

    private string SegmentPath(long firstRevision) => Path.Combine(_data.FullName, $"wal-{firstRevision:D20}.log");

    /// <summary>
    /// Splits the one segment of <see cref="WriteRecordsAsync"/> in two before record
    /// <paramref name="index"/> (revision index + 2), as a rotation would have: returns both paths.
    /// </summary>
    private (string First, string Second) SplitSegment(List<long> offsets, int index)
    {
        var first = Segment();
        var bytes = File.ReadAllBytes(first);
        var second = SegmentPath(index + 2);
        File.WriteAllBytes(second, [.. bytes[..Magic], .. bytes[(int)offsets[index]..]]);
        File.WriteAllBytes(first, bytes[..(int)offsets[index]]);
        return (first, second);
    }

    [Fact]
    public async Task Open_TwoSegments_ReplaysBoth()
    {
        var offsets = await WriteRecordsAsync();
        SplitSegment(offsets, 10);

        await using var store = Open();

        Assert.Equal(Values(Records), await KeysAsync(store));
        Assert.Empty(_log.Lines);
    }

    [Fact]
    public async Task Open_CutInASegmentThatIsNotTheLast_RefusesNamingItAndTheOffset()
    {
        var offsets = await WriteRecordsAsync();
        var (first, _) = SplitSegment(offsets, 10);
        // Record 9 (the first segment's last) loses its last 5 bytes: not a crash's doing, since the next segment began after it.
        File.WriteAllBytes(first, File.ReadAllBytes(first)[..^5]);

        var e = Assert.Throws<StoreCorruptionException>(() => Open());

        Assert.Equal(first, e.FilePath);
        Assert.Equal(offsets[9], e.Offset);
        Assert.True(e.Repairable);
        Assert.Contains("in a segment that was complete before the next one began", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_WithRepairOfTheFirstOfTwoSegments_MovesTheSecondAsideAndLogsIt()
    {
        var offsets = await WriteRecordsAsync();
        var (first, second) = SplitSegment(offsets, 10);
        var damaged = File.ReadAllBytes(first);
        damaged[(int)offsets[3] + FrameHeader + 6] ^= 0x40;
        File.WriteAllBytes(first, damaged);
        var secondBytes = File.ReadAllBytes(second);

        await using (var store = Open(repair: true))
        {
            Assert.Equal(Values(3), await KeysAsync(store));
            await store.CommitAsync(new StoreTxn([], [new StorePut("/k/after", "after"u8.ToArray())]));
        }

        Assert.False(File.Exists(second));
        var aside = Assert.Single(Directory.GetFiles(_data.FullName, Path.GetFileName(second) + ".*.corrupt"));
        Assert.Equal(secondBytes, File.ReadAllBytes(aside));
        var copy = Assert.Single(Directory.GetFiles(_data.FullName, Path.GetFileName(first) + ".*.corrupt"));
        Assert.Equal(damaged, File.ReadAllBytes(copy));
        var errors = _log.Lines.Where(l => l.Level == LogLevel.Error).Select(l => l.Message).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains($"repair: {first} is damaged at byte offset {offsets[3]}", errors[0], StringComparison.Ordinal);
        Assert.Contains("every revision after 4 in this segment", errors[0], StringComparison.Ordinal);
        Assert.Contains($"moved the log segment {second} aside as {aside}", errors[1], StringComparison.Ordinal);
        await using var reopened = Open();
        string[] expected = [.. Values(3), "after"];
        Assert.Equal(expected, await KeysAsync(reopened));
    }

    [Fact]
    public async Task Open_SegmentTheSnapshotCovers_DeletesItAndLogsIt()
    {
        await WriteRecordsAsync();
        var old = Segment();
        var oldBytes = File.ReadAllBytes(old);
        await using (var store = Open(snapshotAfterBytes: 1))
        {
            // Snapshots at revision Records + 2 and starts segment Records + 3, deleting the old one.
            await store.CommitAsync(new StoreTxn([], [new StorePut("/k/last", "last"u8.ToArray())]));
        }

        Assert.False(File.Exists(old));
        // A crash between the snapshot's rename and the rotation's delete leaves the old segment beside the new one.
        File.WriteAllBytes(old, oldBytes);

        await using (var store = Open())
        {
            string[] expected = [.. Values(Records), "last"];
            Assert.Equal(expected, await KeysAsync(store));
        }

        Assert.False(File.Exists(old));
        Assert.Equal(SegmentPath(Records + 3), Segment());
        var info = Assert.Single(_log.Lines, l => l.Level == LogLevel.Information);
        Assert.Contains($"deleted the log segment {old}: the snapshot at revision {Records + 2} covers it", info.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_DamagedSnapshot_RefusesNamingTheFileEvenWithRepair()
    {
        await using (var store = Open(snapshotAfterBytes: 1024))
        {
            for (var i = 0; i < 100; i++)
            {
                await store.CommitAsync(new StoreTxn([], [new StorePut($"/k/{i:D3}", new byte[50])]));
            }
        }

        var snapshot = Path.Combine(_data.FullName, "snapshot");
        var bytes = File.ReadAllBytes(snapshot);
        bytes[bytes.Length / 2] ^= 0x08;
        File.WriteAllBytes(snapshot, bytes);

        var e = Assert.Throws<StoreCorruptionException>(() => Open());
        var repaired = Assert.Throws<StoreCorruptionException>(() => Open(repair: true));

        Assert.Equal(snapshot, e.FilePath);
        Assert.InRange(e.Offset, bytes.Length / 2 - 200, bytes.Length / 2);
        Assert.Contains($"{snapshot} is damaged at byte offset {e.Offset}", e.Message, StringComparison.Ordinal);
        Assert.False(e.Repairable);
        Assert.Equal(e.Message, repaired.Message);
    }

    [Fact]
    public async Task Open_FormatOneLog_RefusesSayingSo()
    {
        // A format-1 record: [u32 length][u32 crc32c][payload], no magic.
        await File.WriteAllBytesAsync(Path.Combine(_data.FullName, "wal-00000000000000000002.log"), [12, 0, 0, 0, 1, 2, 3, 4, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

        var e = Assert.Throws<StoreCorruptionException>(() => Open(repair: true));

        Assert.Equal(0, e.Offset);
        Assert.False(e.Repairable);
        Assert.Contains("format 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommitAsync_RecordAtTheLimit_ReadsBackFromTheLogAndTheSnapshot()
    {
        var options = new EmbeddedStoreOptions { DataDirectory = _data.FullName };
        // A record of one put is 4 + 1 + 4 + key + 4 + value bytes.
        var value = new byte[options.MaxRequestBytes - 13 - "/big".Length];
        Random.Shared.NextBytes(value);
        await using (var store = EmbeddedStore.Open(options))
        {
            await store.CommitAsync(new StoreTxn([], [new StorePut("/big", value)]));
        }

        await using (var fromLog = EmbeddedStore.Open(options with { SnapshotAfterBytes = 1 }))
        {
            Assert.Equal(value, (await fromLog.GetAsync("/big"))!.Value.ToArray());
            await fromLog.CommitAsync(new StoreTxn([], [new StorePut("/small", "x"u8.ToArray())])); // takes a snapshot of /big
        }

        await using var fromSnapshot = EmbeddedStore.Open(options);
        Assert.True(File.Exists(Path.Combine(_data.FullName, "snapshot")));
        Assert.Equal(value, (await fromSnapshot.GetAsync("/big"))!.Value.ToArray());
    }

    [Fact]
    public async Task CommitAsync_OneByteOverTheLimit_ThrowsBeforeWritingAnything()
    {
        await using var store = Open();
        var before = new FileInfo(Segment()).Length;

        var e = await Assert.ThrowsAsync<StoreRequestTooLargeException>(() =>
            store.CommitAsync(new StoreTxn([], [new StorePut("/big", new byte[EmbeddedStoreOptions.DefaultMaxRequestBytes - 13 - "/big".Length + 1])])));

        Assert.Equal(EmbeddedStoreOptions.DefaultMaxRequestBytes, e.Limit);
        Assert.Contains("request is too large", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, new FileInfo(Segment()).Length);
        Assert.Null(await store.GetAsync("/big"));
    }

    [Fact]
    public void Open_MaxRequestBytesOverTheCeiling_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            EmbeddedStore.Open(new EmbeddedStoreOptions { MaxRequestBytes = EmbeddedStoreOptions.MaxRequestBytesCeiling + 1 }));
    }
}
