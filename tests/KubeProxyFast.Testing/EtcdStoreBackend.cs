using KubeProxyFast.Storage;
using KubeProxyFast.Storage.Etcd;

namespace KubeProxyFast.Testing;

/// <summary>
/// A real etcd, as `kpf server --etcd-servers` runs on, launched once for a test class (it starts in
/// about 0.2 s, but a class has up to a dozen tests). Each test's data is the whole key space,
/// emptied for it; the revision is etcd's and keeps growing from test to test, so tests read the
/// revision they start from (<see cref="TestApiServer.InitialRevision"/>) rather than assume 1.
/// </summary>
public sealed class EtcdStoreBackend : ITestStoreBackend, IDisposable
{
    // etcd refuses a transaction of more than 128 operations (--max-txn-ops).
    private const int DeletesPerTxn = 100;

    private readonly EtcdServer _etcd = EtcdServer.Launch();

    /// <inheritdoc/>
    public async Task<ITestStoreData> CreateAsync()
    {
        await using (var store = new EtcdStore(_etcd.ClientUrl))
        {
            var keys = await store.ListAsync("/");
            foreach (var chunk in keys.Items.Chunk(DeletesPerTxn))
            {
                await store.CommitAsync(new StoreTxn([], [.. chunk.Select(value => new StoreDelete(value.Key))]));
            }
        }

        return new Data(_etcd.ClientUrl);
    }

    /// <summary>Kills etcd and deletes its data.</summary>
    public void Dispose() => _etcd.Dispose();

    private sealed class Data(string url) : ITestStoreData
    {
        public IStore Open() => new EtcdStore(url);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
