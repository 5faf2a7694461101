using System.Text;
using KubeProxyFast.Storage;

namespace KubeProxyFast.Storage.Tests.Contract;

/// <summary>
/// The store contract (controlplane/KubeProxyFast.Storage/README.md), run against each backend by
/// a subclass that says how to open one. Every test works under its own key prefix, so a backend
/// shared between tests (one etcd per class) does not mix their keys.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    private static readonly TimeSpan WatchTimeout = TimeSpan.FromSeconds(10);

    private IStore? _store;

    /// <summary>A fresh key prefix for this test.</summary>
    protected string P { get; } = $"/registry/contract-{Guid.NewGuid():N}/";

    protected IStore Store => _store!;

    public async Task InitializeAsync() => _store = await OpenStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    /// <summary>Opens the backend under test.</summary>
    protected abstract Task<IStore> OpenStoreAsync();

    protected static byte[] V(string s) => Encoding.UTF8.GetBytes(s);

    protected static string S(ReadOnlyMemory<byte> value) => Encoding.UTF8.GetString(value.Span);

    protected Task<StoreTxnResult> Create(string key, string value) =>
        Store.CommitAsync(new StoreTxn([StoreCondition.Absent(key)], [new StorePut(key, V(value))]));

    protected Task<StoreTxnResult> Update(string key, long modRevision, string value) =>
        Store.CommitAsync(new StoreTxn([new StoreCondition(key, modRevision)], [new StorePut(key, V(value))]));

    protected Task<StoreTxnResult> Delete(string key, long modRevision) =>
        Store.CommitAsync(new StoreTxn([new StoreCondition(key, modRevision)], [new StoreDelete(key)]));

    /// <summary>The store's current revision, read with an empty list.</summary>
    protected async Task<long> Revision() => (await Store.ListAsync(P + "\uffff-none/")).Revision;

    /// <summary>The first <paramref name="count"/> events of a watch; fewer if they do not come within the timeout.</summary>
    protected async Task<List<StoreEvent>> Watch(string prefix, long afterRevision, int count)
    {
        using var timeout = new CancellationTokenSource(WatchTimeout);
        var events = new List<StoreEvent>();
        await foreach (var e in Store.WatchAsync(prefix, afterRevision, timeout.Token))
        {
            events.Add(e);
            if (events.Count == count)
            {
                break;
            }
        }

        return events;
    }

    [Fact]
    public async Task GetAsync_AbsentKey_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync(P + "missing"));
    }

    [Fact]
    public async Task GetAsync_AfterCreate_ReturnsValueAtTheCommitRevision()
    {
        var created = await Create(P + "a", "one");

        var value = await Store.GetAsync(P + "a");

        Assert.True(created.Succeeded);
        Assert.Empty(created.Current);
        Assert.NotNull(value);
        Assert.Equal(P + "a", value.Key);
        Assert.Equal("one", S(value.Value));
        Assert.Equal(created.Revision, value.ModRevision);
        Assert.Equal(created.Revision, value.CreateRevision);
    }

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
}
