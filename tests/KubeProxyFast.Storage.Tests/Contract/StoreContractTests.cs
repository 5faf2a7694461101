using System.Text;

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

    /// <summary>Moves the store's clock on (a fake one); a real store's clock moves by itself, so tests poll.</summary>
    protected virtual void PassTime(TimeSpan by)
    {
    }

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
}
