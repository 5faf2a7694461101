using System.Text;
using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Storage.Embedded.Log;

namespace KubeProxyFast.Storage.Tests.Embedded;

/// <summary>
/// The fsync behind every acknowledgement, injected through the store's <see cref="IFileSync"/>
/// seam (kill -9 keeps the page cache, so only a fault here shows a missing or ignored fsync):
/// a commit is neither acknowledged nor visible before its fsync returns, and a failed fsync
/// poisons the store — that commit's outcome is unknown, every later write fails, nothing
/// acknowledged is lost.
/// </summary>
public sealed class EmbeddedStoreFsyncTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("kpf-fsync-");

    public void Dispose() => _data.Delete(recursive: true);

    private EmbeddedStore Open(IFileSync sync, long snapshotAfterBytes = 64 << 20) =>
        EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _data.FullName, Sync = sync, SnapshotAfterBytes = snapshotAfterBytes });

    private static Task<StoreTxnResult> Put(EmbeddedStore store, string key) =>
        store.CommitAsync(new StoreTxn([StoreCondition.Absent(key)], [new StorePut(key, Encoding.UTF8.GetBytes(key))]));

    [Fact]
    public async Task Open_NewDataDirectory_FsyncsTheDirectoriesHoldingEachCreatedName()
    {
        var sync = new ScriptedSync();
        var parent = Path.Combine(_data.FullName, "new");
        var directory = Path.Combine(parent, "data");

        await using (var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = directory, Sync = sync }))
        {
            await Put(store, "/a");
        }

        Assert.Contains(_data.FullName, sync.FlushedDirectories);
        Assert.Contains(parent, sync.FlushedDirectories);
    }

    [Fact]
    public async Task CommitAsync_WhileItsFsyncRuns_IsNeitherAcknowledgedNorVisible()
    {
        var sync = new ScriptedSync();
        await using var store = Open(sync);
        await Put(store, "/before");
        var release = sync.HoldNextLogFlush();

        var commit = Put(store, "/held");
        await sync.Held.Task.WaitAsync(Timeout);

        Assert.False(commit.IsCompleted);
        Assert.Null(await store.GetAsync("/held"));
        release.SetResult();
        var result = await commit.WaitAsync(Timeout);
        Assert.True(result.Succeeded);
        Assert.Equal(result.Revision, (await store.GetAsync("/held"))!.ModRevision);
    }

    [Fact]
    public async Task CommitAsync_AfterAFailedLogFsync_FailsEveryLaterWriteAndLosesNothingAcknowledged()
    {
        var sync = new ScriptedSync();
        await using (var store = Open(sync))
        {
            for (var i = 0; i < 10; i++)
            {
                await Put(store, $"/acked/{i}");
            }

            sync.FailLogFlushes = true;
            var failed = await Assert.ThrowsAsync<StoreUnavailableException>(() => Put(store, "/unknown"));
            sync.FailLogFlushes = false; // the disk is back: the store must still refuse

            var later = await Assert.ThrowsAsync<StoreUnavailableException>(() => Put(store, "/later"));

            Assert.True(failed.OutcomeUnknown);
            Assert.Contains("may or may not be in the log", failed.Message, StringComparison.Ordinal);
            Assert.False(later.OutcomeUnknown);
            Assert.Contains("nothing was committed", later.Message, StringComparison.Ordinal);
            Assert.Equal(10, (await store.ListAsync("/acked/")).Items.Count);
            Assert.Null(await store.GetAsync("/later"));
        }

        await using var reopened = Open(new ScriptedSync());
        Assert.Equal(10, (await reopened.ListAsync("/acked/")).Items.Count);
        Assert.Null(await reopened.GetAsync("/later"));
    }

    [Fact]
    public async Task CommitAsync_AfterAFailedSnapshotFsync_FailsEveryLaterWriteAndLosesNothingAcknowledged()
    {
        var sync = new ScriptedSync { FailSnapshotFlushes = true };
        int total;
        await using (var store = Open(sync, snapshotAfterBytes: 512))
        {
            // Commits are acknowledged until the segment is full; the snapshot after that one fails.
            var acknowledged = 0;
            StoreUnavailableException? refused = null;
            while (refused is null && acknowledged < 100)
            {
                try
                {
                    await Put(store, $"/acked/{acknowledged}");
                    acknowledged++;
                }
                catch (StoreUnavailableException e)
                {
                    refused = e;
                }
            }

            Assert.NotNull(refused);
            Assert.True(File.Exists(Path.Combine(_data.FullName, "snapshot.tmp")));
            await Assert.ThrowsAsync<StoreUnavailableException>(() => Put(store, "/later"));
            Assert.Equal(acknowledged, (await store.ListAsync("/acked/")).Items.Count);
            total = acknowledged;
        }

        await using var reopened = Open(new ScriptedSync());
        Assert.Null(await reopened.GetAsync("/later"));
        Assert.False(File.Exists(Path.Combine(_data.FullName, "snapshot")));
        Assert.Equal(total, (await reopened.ListAsync("/acked/")).Items.Count);
    }

    /// <summary>The real fsync, with faults on request: hold the next log flush until released, or fail log or snapshot flushes.</summary>
    private sealed class ScriptedSync : IFileSync
    {
        private TaskCompletionSource? _release;

        /// <summary>Completed when a held flush has started.</summary>
        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool FailLogFlushes;

        public bool FailSnapshotFlushes { get; init; }

        /// <summary>The next flush of a log segment waits for the returned source.</summary>
        public TaskCompletionSource HoldNextLogFlush()
        {
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _release = release;
            return release;
        }

        public void Flush(FileStream file)
        {
            var log = Path.GetFileName(file.Name).StartsWith("wal-", StringComparison.Ordinal);
            if (log && Interlocked.Exchange(ref _release, null) is { } release)
            {
                Held.SetResult();
                // The store's writer thread waits here, as it would in a slow fsync(2).
                release.Task.Wait(Timeout);
            }

            if ((log && FailLogFlushes) || (!log && FailSnapshotFlushes))
            {
                throw new IOException($"fsync({file.Name}) failed: errno 5 (injected)");
            }

            FileSync.Instance.Flush(file);
        }

        /// <summary>Every directory flushed, in order.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> FlushedDirectories { get; } = new();

        public void FlushDirectory(string path)
        {
            FlushedDirectories.Enqueue(path);
            FileSync.Instance.FlushDirectory(path);
        }
    }
}
