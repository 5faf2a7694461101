namespace KubeProxyFast.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    /// <summary>
    /// One sequence around a compaction point, read at every revision near it. What etcd answers
    /// (checked against etcd 3.4 by this very test in <see cref="EtcdStoreContractTests"/>): reads
    /// before the compaction revision r are compacted, reads at r are not; a watch starting
    /// before r is compacted (reporting r), one starting at r gets r's puts without their previous
    /// values (they are compacted) and not r's deletes (compaction drops their tombstones).
    /// </summary>
    [Fact]
    public async Task CompactAsync_AroundTheCompactionRevision_AnswersAsEtcd()
    {
        var r1 = (await Create(P + "a", "a1")).Revision;
        var r2 = (await Create(P + "b", "b1")).Revision;
        var r3 = (await Update(P + "a", r1, "a2")).Revision;
        var r4 = (await Store.CommitAsync(new StoreTxn([], [new StorePut(P + "a", V("a3")), new StoreDelete(P + "b"), new StorePut(P + "c", V("c1"))]))).Revision;
        var r5 = (await Update(P + "c", r4, "c2")).Revision;

        await Store.CompactAsync(r4);

        var listBefore = await Assert.ThrowsAsync<StoreCompactedException>(() => Store.ListAsync(P, new StoreListOptions { Revision = r3 }));
        Assert.Equal((r3, r4), (listBefore.RequestedRevision, listBefore.CompactedRevision));
        Assert.Equal(["a3", "c1"], (await Store.ListAsync(P, new StoreListOptions { Revision = r4 })).Items.Select(i => S(i.Value)));
        Assert.Equal(["a3", "c2"], (await Store.ListAsync(P, new StoreListOptions { Revision = r5 })).Items.Select(i => S(i.Value)));
        var watchBefore = await Assert.ThrowsAsync<StoreCompactedException>(() => Watch(P, r2, 1));
        Assert.Equal((r3, r4), (watchBefore.RequestedRevision, watchBefore.CompactedRevision));
        Assert.Equal(
            [(StoreEventType.Updated, P + "a", "a3", "", r4), (StoreEventType.Created, P + "c", "c1", "", r4), (StoreEventType.Updated, P + "c", "c2", "c1", r5)],
            (await Watch(P, r3, 3)).Select(e => (e.Type, e.Key, S(e.Value), S(e.Previous), e.Revision)));
        Assert.Equal(
            [(StoreEventType.Updated, P + "c", "c2", "c1", r5)],
            (await Watch(P, r4, 1)).Select(e => (e.Type, e.Key, S(e.Value), S(e.Previous), e.Revision)));
    }
}
