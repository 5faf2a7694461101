using KubeProxyFast.Testing;

namespace KubeProxyFast.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    // etcd 3.4 raises a lease's time to live to at least 2 s here (1.5 × its election timeout, rounded up).
    private static readonly TimeSpan ShortTtl = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ExpiryTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task GrantLeaseAsync_Expires_DeletesTheKeysStillAttachedWithWatchEvents()
    {
        var start = await Revision();
        var lease = await Store.GrantLeaseAsync(ShortTtl);
        await Store.CommitAsync(new StoreTxn([], [new StorePut(P + "a", V("a"), lease), new StorePut(P + "b", V("b"), lease)]));
        await Store.CommitAsync(new StoreTxn([], [new StorePut(P + "b", V("b2"))])); // detached by a put without the lease
        await Create(P + "c", "c");
        Assert.Equal(lease, (await Store.GetAsync(P + "a"))!.Lease);

        PassTime(TimeSpan.FromSeconds(3));

        await Eventually.True(async () => await Store.GetAsync(P + "a") is null, "the leased key to expire", ExpiryTimeout);
        var events = await Watch(P, start, 5);
        Assert.Equal(
            [(StoreEventType.Created, P + "a"), (StoreEventType.Created, P + "b"), (StoreEventType.Updated, P + "b"), (StoreEventType.Created, P + "c"), (StoreEventType.Deleted, P + "a")],
            events.Select(e => (e.Type, e.Key)));
        Assert.Equal(["b2", "c"], (await Store.ListAsync(P)).Items.Select(i => S(i.Value)));
        Assert.Equal(0, (await Store.GetAsync(P + "b"))!.Lease);
    }

    [Fact]
    public async Task CommitAsync_PutUnderAnExpiredLease_ThrowsArgumentExceptionAndCommitsNothing()
    {
        var lease = await Store.GrantLeaseAsync(ShortTtl);
        await Store.CommitAsync(new StoreTxn([], [new StorePut(P + "a", V("a"), lease)]));
        PassTime(TimeSpan.FromSeconds(3));
        await Eventually.True(async () => await Store.GetAsync(P + "a") is null, "the leased key to expire", ExpiryTimeout);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.CommitAsync(new StoreTxn([], [new StorePut(P + "b", V("b"), lease)])));

        Assert.Null(await Store.GetAsync(P + "b"));
    }

    [Fact]
    public async Task GrantLeaseAsync_NotPositive_ThrowsArgumentOutOfRangeException()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GrantLeaseAsync(TimeSpan.Zero));
    }
}
