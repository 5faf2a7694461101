
namespace KubeProxyFast.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task CommitAsync_CreateOfExistingKey_FailsWithCurrentValue()
    {
        var first = await Create(P + "a", "one");

        var second = await Create(P + "a", "two");

        Assert.False(second.Succeeded);
        Assert.Equal(first.Revision, second.Revision);
        var current = Assert.Single(second.Current);
        Assert.NotNull(current);
        Assert.Equal("one", S(current.Value));
        Assert.Equal(first.Revision, current.ModRevision);
        Assert.Equal("one", S((await Store.GetAsync(P + "a"))!.Value));
    }

    [Fact]
    public async Task CommitAsync_UpdateAtCurrentRevision_WritesAndKeepsCreateRevision()
    {
        var created = await Create(P + "a", "one");

        var updated = await Update(P + "a", created.Revision, "two");

        Assert.True(updated.Succeeded);
        Assert.Equal(created.Revision + 1, updated.Revision);
        var value = await Store.GetAsync(P + "a");
        Assert.Equal("two", S(value!.Value));
        Assert.Equal(updated.Revision, value.ModRevision);
        Assert.Equal(created.Revision, value.CreateRevision);
    }

    [Fact]
    public async Task CommitAsync_UpdateAtStaleRevision_FailsWithCurrentValue()
    {
        var created = await Create(P + "a", "one");
        var updated = await Update(P + "a", created.Revision, "two");

        var stale = await Update(P + "a", created.Revision, "three");

        Assert.False(stale.Succeeded);
        var current = Assert.Single(stale.Current);
        Assert.Equal("two", S(current!.Value));
        Assert.Equal(updated.Revision, current.ModRevision);
        Assert.Equal("two", S((await Store.GetAsync(P + "a"))!.Value));
    }

    [Fact]
    public async Task CommitAsync_UpdateOfMissingKey_FailsWithNullCurrent()
    {
        var before = await Revision();

        var result = await Update(P + "missing", 5, "x");

        Assert.False(result.Succeeded);
        Assert.Null(Assert.Single(result.Current));
        Assert.Equal(before, result.Revision);
        Assert.Null(await Store.GetAsync(P + "missing"));
    }

    [Fact]
    public async Task CommitAsync_DeleteAtCurrentRevision_RemovesKey()
    {
        var created = await Create(P + "a", "one");

        var deleted = await Delete(P + "a", created.Revision);

        Assert.True(deleted.Succeeded);
        Assert.Equal(created.Revision + 1, deleted.Revision);
        Assert.Null(await Store.GetAsync(P + "a"));
    }

    [Fact]
    public async Task CommitAsync_DeleteAtStaleRevision_FailsAndKeepsKey()
    {
        var created = await Create(P + "a", "one");
        var updated = await Update(P + "a", created.Revision, "two");

        var deleted = await Delete(P + "a", created.Revision);

        Assert.False(deleted.Succeeded);
        Assert.Equal(updated.Revision, Assert.Single(deleted.Current)!.ModRevision);
        Assert.NotNull(await Store.GetAsync(P + "a"));
    }

    [Fact]
    public async Task CommitAsync_DeleteAfterRecreate_StartsNewCreateRevision()
    {
        var first = await Create(P + "a", "one");
        await Delete(P + "a", first.Revision);

        var second = await Create(P + "a", "two");

        Assert.True(second.Succeeded);
        Assert.Equal(second.Revision, (await Store.GetAsync(P + "a"))!.CreateRevision);
    }

    [Fact]
    public async Task CommitAsync_OneConditionFails_AppliesNothingAndKeepsRevision()
    {
        var a = await Create(P + "a", "one");
        var before = await Revision();

        var result = await Store.CommitAsync(new StoreTxn(
            [new StoreCondition(P + "a", a.Revision), StoreCondition.Absent(P + "a"), StoreCondition.Absent(P + "b")],
            [new StorePut(P + "a", V("changed")), new StorePut(P + "b", V("new"))]));

        Assert.False(result.Succeeded);
        Assert.Equal(before, result.Revision);
        Assert.Equal(3, result.Current.Count);
        Assert.Equal(a.Revision, result.Current[0]!.ModRevision);
        Assert.Equal(a.Revision, result.Current[1]!.ModRevision);
        Assert.Null(result.Current[2]);
        Assert.Equal("one", S((await Store.GetAsync(P + "a"))!.Value));
        Assert.Null(await Store.GetAsync(P + "b"));
        Assert.Equal(before, await Revision());
    }

    [Fact]
    public async Task CommitAsync_EachTransaction_RaisesRevisionByOne()
    {
        var before = await Revision();

        var one = await Create(P + "a", "1");
        var many = await Store.CommitAsync(new StoreTxn([], [new StorePut(P + "b", V("2")), new StorePut(P + "c", V("3")), new StoreDelete(P + "a")]));

        Assert.Equal(before + 1, one.Revision);
        Assert.Equal(before + 2, many.Revision);
        Assert.Equal(many.Revision, (await Store.GetAsync(P + "b"))!.ModRevision);
        Assert.Equal(many.Revision, (await Store.GetAsync(P + "c"))!.ModRevision);
        Assert.Null(await Store.GetAsync(P + "a"));
        Assert.Equal(before + 2, await Revision());
    }

    [Fact]
    public async Task CommitAsync_ChangingNothing_SucceedsWithoutARevision()
    {
        var before = await Revision();

        var result = await Store.CommitAsync(new StoreTxn([], [new StoreDelete(P + "missing")]));

        Assert.True(result.Succeeded);
        Assert.Equal(before, result.Revision);
        Assert.Equal(before, await Revision());
    }

    [Fact]
    public async Task CommitAsync_SameKeyInTwoOperations_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.CommitAsync(new StoreTxn([], [new StorePut(P + "a", V("1")), new StoreDelete(P + "a")])));
    }

    [Fact]
    public async Task CommitAsync_ConcurrentCreatesOfOneKey_ExactlyOneWins()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => Create(P + "contended", $"writer-{i}"))));

        var winner = Assert.Single(results, r => r.Succeeded);
        var value = await Store.GetAsync(P + "contended");
        Assert.Equal(winner.Revision, value!.ModRevision);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(winner.Revision, Assert.Single(r.Current)!.ModRevision));
    }

    [Fact]
    public async Task CommitAsync_OverTheRequestLimit_ThrowsStoreRequestTooLargeAndCommitsNothing()
    {
        var before = await Revision();
        var underLimit = await Create(P + "large", new string('x', 1 << 20));

        // Just over 1.5 MiB (etcd's default --max-request-bytes), which etcd itself refuses ...
        var over = await Assert.ThrowsAsync<StoreRequestTooLargeException>(() => Create(P + "over", new string('x', (1536 << 10) + 1024)));
        // ... and far over, which gRPC refuses before etcd sees it.
        await Assert.ThrowsAsync<StoreRequestTooLargeException>(() => Create(P + "huge", new string('x', 8 << 20)));

        Assert.True(underLimit.Succeeded);
        Assert.Equal(before + 1, await Revision());
        Assert.Null(await Store.GetAsync(P + "over"));
        Assert.Null(await Store.GetAsync(P + "huge"));
        Assert.Contains("request is too large", over.Message, StringComparison.Ordinal);
    }
}
