
namespace KubeProxyFast.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task WatchAsync_FromRevision_ReplaysHistoryThenLiveChanges()
    {
        var start = await Revision();
        await Create(P + "w/a", "a");
        await Create(P + "other", "not watched");
        await Create(P + "w/b", "b");
        using var timeout = new CancellationTokenSource(WatchTimeout);
        await using var watch = Store.WatchAsync(P + "w/", start, timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await watch.MoveNextAsync());
        var first = watch.Current;
        Assert.True(await watch.MoveNextAsync());
        var second = watch.Current;
        var live = await Create(P + "w/c", "c");
        Assert.True(await watch.MoveNextAsync());
        var third = watch.Current;

        Assert.Equal([P + "w/a", P + "w/b", P + "w/c"], new[] { first.Key, second.Key, third.Key });
        Assert.True(first.Revision < second.Revision);
        Assert.Equal(live.Revision, third.Revision);
        Assert.Equal("c", S(third.Value));
    }

    [Fact]
    public async Task WatchAsync_Changes_ReportCreatedUpdatedDeletedWithPreviousValues()
    {
        var start = await Revision();
        var created = await Create(P + "a", "one");
        var updated = await Update(P + "a", created.Revision, "two");
        var deleted = await Delete(P + "a", updated.Revision);

        var events = await Watch(P, start, 3);

        Assert.Equal(
            [(StoreEventType.Created, "one", "", created.Revision), (StoreEventType.Updated, "two", "one", updated.Revision), (StoreEventType.Deleted, "two", "two", deleted.Revision)],
            events.Select(e => (e.Type, S(e.Value), S(e.Previous), e.Revision)));
    }

    [Fact]
    public async Task WatchAsync_MultiKeyTransaction_YieldsOneEventPerKeyWithOneRevision()
    {
        var start = await Revision();
        var a = await Create(P + "a", "a");

        var txn = await Store.CommitAsync(new StoreTxn([], [new StorePut(P + "b", V("b")), new StoreDelete(P + "a"), new StorePut(P + "c", V("c"))]));
        var events = await Watch(P, a.Revision, 3);

        Assert.Equal(start + 2, txn.Revision);
        Assert.All(events, e => Assert.Equal(txn.Revision, e.Revision));
        // One event per key, in the order of the transaction's operations.
        Assert.Equal(
            [(P + "b", StoreEventType.Created, "b"), (P + "a", StoreEventType.Deleted, "a"), (P + "c", StoreEventType.Created, "c")],
            events.Select(e => (e.Key, e.Type, S(e.Value))));
    }

    [Fact]
    public async Task WatchAsync_FromCompactedRevision_ThrowsStoreCompactedException()
    {
        var start = await Revision();
        var a = await Create(P + "a", "1");
        var b = await Update(P + "a", a.Revision, "2");
        var c = await Update(P + "a", b.Revision, "3");
        await Store.CompactAsync(c.Revision);

        var e = await Assert.ThrowsAsync<StoreCompactedException>(() => Watch(P, start, 1));

        Assert.True(e.CompactedRevision > start + 1, $"compacted revision {e.CompactedRevision}");
    }

    [Fact]
    public async Task WatchAsync_Cancelled_EndsEnumerationWithoutError()
    {
        var start = await Revision();
        await Create(P + "a", "1");
        using var cancel = new CancellationTokenSource();
        var seen = new System.Collections.Concurrent.ConcurrentQueue<StoreEvent>();

        var watching = Task.Run(async () =>
        {
            await foreach (var e in Store.WatchAsync(P, start, cancel.Token))
            {
                seen.Enqueue(e);
            }
        });
        await KubeProxyFast.Testing.Eventually.True(() => seen.Count == 1, "the watch's first event", TimeSpan.FromSeconds(5));
        await cancel.CancelAsync();

        await watching.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Single(seen);
    }

    [Fact]
    public async Task WatchAsync_FutureRevision_YieldsOnlyLaterChanges()
    {
        var now = await Revision();
        await Create(P + "a", "1");
        var events = Watch(P, now + 1, 1);
        var b = await Create(P + "b", "2");

        var e = Assert.Single(await events);
        Assert.Equal(b.Revision, e.Revision);
    }
}
