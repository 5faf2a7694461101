
namespace KubeProxyFast.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task ListAsync_Prefix_ReturnsOnlyItsKeysInKeyOrderAtStoreRevision()
    {
        foreach (var key in new[] { "pods/ns/c", "pods/ns/a", "pods/ns-other/x", "pods/ns/b", "podsx", "services/ns/a" })
        {
            await Create(P + key, key);
        }

        var list = await Store.ListAsync(P + "pods/ns/");

        Assert.Equal(["pods/ns/a", "pods/ns/b", "pods/ns/c"], list.Items.Select(i => i.Key[P.Length..]));
        Assert.Equal(await Revision(), list.Revision);
        Assert.Equal(0, list.Remaining);
        Assert.Equal("pods/ns/a", S(list.Items[0].Value));
    }

    [Fact]
    public async Task ListAsync_LimitAndStartAfter_PagesWithRemaining()
    {
        for (var i = 0; i < 7; i++)
        {
            await Create($"{P}k{i}", $"{i}");
        }

        var first = await Store.ListAsync(P, new StoreListOptions { Limit = 3 });
        var second = await Store.ListAsync(P, new StoreListOptions { Limit = 3, StartAfter = first.Items[^1].Key, Revision = first.Revision });
        var last = await Store.ListAsync(P, new StoreListOptions { Limit = 3, StartAfter = second.Items[^1].Key, Revision = first.Revision });

        Assert.Equal(["k0", "k1", "k2"], first.Items.Select(i => i.Key[P.Length..]));
        Assert.Equal(4, first.Remaining);
        Assert.Equal(["k3", "k4", "k5"], second.Items.Select(i => i.Key[P.Length..]));
        Assert.Equal(1, second.Remaining);
        Assert.Equal(["k6"], last.Items.Select(i => i.Key[P.Length..]));
        Assert.Equal(0, last.Remaining);
        Assert.Equal(first.Revision, last.Revision);
    }

    [Fact]
    public async Task ListAsync_AtOldRevision_ReturnsTheStateThen()
    {
        var a = await Create(P + "a", "a1");
        var b = await Create(P + "b", "b1");
        var then = await Revision();
        await Update(P + "a", a.Revision, "a2");
        await Delete(P + "b", b.Revision);
        await Create(P + "c", "c1");

        var old = await Store.ListAsync(P, new StoreListOptions { Revision = then });
        var oldPage = await Store.ListAsync(P, new StoreListOptions { Revision = then, StartAfter = P + "a", Limit = 1 });
        var now = await Store.ListAsync(P);

        Assert.Equal(then, old.Revision);
        Assert.Equal(["a1", "b1"], old.Items.Select(i => S(i.Value)));
        Assert.Equal(a.Revision, old.Items[0].ModRevision);
        Assert.Equal(["b1"], oldPage.Items.Select(i => S(i.Value)));
        Assert.Equal(0, oldPage.Remaining);
        Assert.Equal(["a2", "c1"], now.Items.Select(i => S(i.Value)));
    }

    [Fact]
    public async Task ListAsync_AtCompactedRevision_ThrowsStoreCompactedException()
    {
        var a = await Create(P + "a", "a1");
        var old = a.Revision;
        var b = await Update(P + "a", a.Revision, "a2");
        var c = await Update(P + "a", b.Revision, "a3");
        await Store.CompactAsync(c.Revision);

        var e = await Assert.ThrowsAsync<StoreCompactedException>(() => Store.ListAsync(P, new StoreListOptions { Revision = old }));

        Assert.Equal(old, e.RequestedRevision);
        Assert.True(e.CompactedRevision > old, $"compacted revision {e.CompactedRevision}");
        Assert.Equal("a3", S((await Store.ListAsync(P)).Items.Single().Value));
    }

    [Fact]
    public async Task CompactAsync_KeepsCurrentValues()
    {
        var a = await Create(P + "a", "a1");
        await Create(P + "b", "b1");
        await Update(P + "a", a.Revision, "a2");

        await Store.CompactAsync(await Revision());
        await Store.CompactAsync(await Revision());

        Assert.Equal(["a2", "b1"], (await Store.ListAsync(P)).Items.Select(i => S(i.Value)));
        Assert.Equal(a.Revision, (await Store.GetAsync(P + "a"))!.CreateRevision);
    }
}
