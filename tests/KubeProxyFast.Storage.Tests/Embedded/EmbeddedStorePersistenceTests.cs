using System.Text;
using KubeProxyFast.Storage.Embedded;

namespace KubeProxyFast.Storage.Tests.Embedded;

/// <summary>What survives closing and reopening a data directory (damage: <see cref="EmbeddedStoreRecoveryTests"/>).</summary>
public sealed class EmbeddedStorePersistenceTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("kpf-embedded-");

    public void Dispose() => _data.Delete(recursive: true);

    private EmbeddedStore Open(long snapshotAfterBytes = 64 << 20) =>
        EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _data.FullName, SnapshotAfterBytes = snapshotAfterBytes });

    private static Task<StoreTxnResult> Put(EmbeddedStore store, string key, string value, long condition = 0) =>
        store.CommitAsync(new StoreTxn([new StoreCondition(key, condition)], [new StorePut(key, Encoding.UTF8.GetBytes(value))]));

    /// <summary>Everything in the store, one line per key plus the revision, for whole-state comparisons.</summary>
    private static async Task<string[]> Contents(EmbeddedStore store)
    {
        var list = await store.ListAsync("/");
        return [$"revision {list.Revision}", .. list.Items.Select(i => $"{i.Key}={Encoding.UTF8.GetString(i.Value.Span)} mod {i.ModRevision} create {i.CreateRevision}")];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)] // a new segment's length: its magic
    public async Task CommitAsync_TinySnapshotThresholdThenACommitThatWritesNothing_KeepsTheStoreWritable(long snapshotAfterBytes)
    {
        await using (var store = Open(snapshotAfterBytes))
        {
            // Writes nothing (a delete of an absent key) while the empty segment is already "large".
            await store.CommitAsync(new StoreTxn([], [new StoreDelete("/absent")]));
            await Put(store, "/a", "a1"); // snapshots at its revision and starts a new segment
            await store.CommitAsync(new StoreTxn([], [new StoreDelete("/absent")]));
            await Put(store, "/b", "b1");
        }

        await using var reopened = Open(snapshotAfterBytes);
        await reopened.CommitAsync(new StoreTxn([], [new StoreDelete("/absent")]));
        await Put(reopened, "/c", "c1");
        Assert.Equal(["/a", "/b", "/c"], (await reopened.ListAsync("/")).Items.Select(i => i.Key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Open_SnapshotAfterBytesBelowOne_Throws(long snapshotAfterBytes)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Open(snapshotAfterBytes));
    }

    [Fact]
    public async Task Open_AfterReopen_KeepsValuesAndRevisions()
    {
        await using (var store = Open())
        {
            var a = await Put(store, "/a", "a1");
            await Put(store, "/b", "b1");
            await Put(store, "/a", "a2", a.Revision);
            var c = await Put(store, "/c", "c1");
            await store.CommitAsync(new StoreTxn([new StoreCondition("/c", c.Revision)], [new StoreDelete("/c")]));
        }

        var before = await ContentsOf();
        await using var reopened = Open();
        var after = await Contents(reopened);
        var next = await Put(reopened, "/d", "d1");

        Assert.Equal(before, after);
        Assert.Equal(["revision 6", "/a=a2 mod 4 create 2", "/b=b1 mod 3 create 3"], after);
        Assert.Equal(7, next.Revision);
    }

    [Fact]
    public async Task Open_AfterSnapshotsAndLog_ReplaysBothAndServesWatchesFromTheLog()
    {
        long afterSnapshot;
        await using (var store = Open(snapshotAfterBytes: 2048))
        {
            for (var i = 0; i < 100; i++)
            {
                await Put(store, $"/k/{i:D3}", new string('x', 50));
            }

            afterSnapshot = (await store.ListAsync("/")).Revision;
            await Put(store, "/k/last", "last");
        }

        var before = await ContentsOf();
        await using var reopened = Open(snapshotAfterBytes: 2048);
        var events = new List<StoreEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var e in reopened.WatchAsync("/k/", afterSnapshot, timeout.Token))
        {
            events.Add(e);
            break;
        }

        Assert.True(File.Exists(Path.Combine(_data.FullName, "snapshot")));
        Assert.Equal(before, await Contents(reopened));
        Assert.Equal(1 + 101, before.Length);
        Assert.Equal("/k/last", Assert.Single(events).Key);
        Assert.Equal(StoreEventType.Created, events[0].Type);
        Assert.Single(Directory.GetFiles(_data.FullName, "wal-*.log"));
    }

    [Fact]
    public async Task Open_DirectoryAlreadyOpen_Throws()
    {
        await using var store = Open();

        var e = Assert.Throws<IOException>(() => Open());

        Assert.Contains("in use", e.Message, StringComparison.Ordinal);
    }

    private async Task<string[]> ContentsOf()
    {
        await using var store = Open();
        return await Contents(store);
    }
}
