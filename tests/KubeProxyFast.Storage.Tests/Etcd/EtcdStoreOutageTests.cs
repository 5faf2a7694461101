using System.Diagnostics;
using System.Text;
using KubeProxyFast.Storage.Etcd;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Storage.Tests.Etcd;

/// <summary>etcd killed under a live EtcdStore, then started again on the same ports and data.</summary>
public sealed class EtcdStoreOutageTests : IDisposable
{
    private readonly EtcdServer _etcd = EtcdServer.Launch();

    public void Dispose() => _etcd.Dispose();

    private static StoreTxn CreateTxn(params string[] keys) =>
        new(keys.Select(StoreCondition.Absent).ToArray(), keys.Select(k => new StorePut(k, Encoding.UTF8.GetBytes(k))).ToArray());

    [Fact]
    public async Task Calls_EtcdStopped_FailUnavailableWithinSecondsWritingNothing()
    {
        await using var store = new EtcdStore(_etcd.ClientUrl, requestTimeout: TimeSpan.FromSeconds(2));
        var a = await store.CommitAsync(CreateTxn("/outage/a"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var watch = store.WatchAsync("/outage/", a.Revision, cancel.Token).GetAsyncEnumerator(cancel.Token);
        var watching = watch.MoveNextAsync().AsTask();

        _etcd.Stop();
        var clock = Stopwatch.StartNew();
        var get = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("/outage/a"));
        var list = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ListAsync("/outage/"));
        var commit = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CommitAsync(CreateTxn("/outage/b", "/outage/c")));
        var watchError = await Assert.ThrowsAsync<StoreUnavailableException>(() => watching);
        var elapsed = clock.Elapsed;
        _etcd.Start();

        Assert.True(elapsed < TimeSpan.FromSeconds(8), $"failing took {elapsed}");
        Assert.Contains(_etcd.ClientUrl, get.Message, StringComparison.Ordinal);
        Assert.Contains(_etcd.ClientUrl, list.Message, StringComparison.Ordinal);
        Assert.Contains(_etcd.ClientUrl, watchError.Message, StringComparison.Ordinal);
        // With etcd down the txn never left: neither of its keys may exist afterwards.
        Assert.False(commit.OutcomeUnknown, commit.Message);
        await using var fresh = new EtcdStore(_etcd.ClientUrl);
        Assert.Null(await fresh.GetAsync("/outage/b"));
        Assert.Null(await fresh.GetAsync("/outage/c"));
        Assert.NotNull(await fresh.GetAsync("/outage/a"));
    }

    [Fact]
    public async Task Calls_EtcdRestarted_SameStoreWorksAgain()
    {
        await using var store = new EtcdStore(_etcd.ClientUrl, requestTimeout: TimeSpan.FromSeconds(2));
        var a = await store.CommitAsync(CreateTxn("/outage/a"));
        _etcd.Stop();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("/outage/a"));

        _etcd.Start();
        StoreValue? value = null;
        await Eventually.True(() =>
        {
            try
            {
                value = store.GetAsync("/outage/a").GetAwaiter().GetResult();
                return true;
            }
            catch (StoreUnavailableException)
            {
                return false;
            }
        }, "the store reconnected", TimeSpan.FromSeconds(10));
        var b = await store.CommitAsync(CreateTxn("/outage/b"));
        var events = new List<StoreEvent>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var e in store.WatchAsync("/outage/", a.Revision, cancel.Token))
        {
            events.Add(e);
            break;
        }

        Assert.Equal(a.Revision, value!.ModRevision);
        Assert.True(b.Succeeded);
        Assert.Equal(a.Revision + 1, b.Revision);
        Assert.Equal(b.Revision, Assert.Single(events).Revision);
    }
}
