using System.Text;
using KubeProxyFast.Storage.Embedded;

namespace KubeProxyFast.Storage.Tests.Embedded;

/// <summary>The embedded store's bounded history and its writer under concurrency.</summary>
public sealed class EmbeddedStoreHistoryTests
{
    private static StoreTxn Put(string key, string value) => new([], [new StorePut(key, Encoding.UTF8.GetBytes(value))]);

    [Fact]
    public async Task WatchAsync_FallsBehindTheKeptHistory_EndsWithStoreCompactedException()
    {
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { HistoryRevisions = 10 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var watch = store.WatchAsync("/", 1, cancel.Token).GetAsyncEnumerator(cancel.Token);
        await store.CommitAsync(Put("/a", "0"));
        Assert.True(await watch.MoveNextAsync());

        for (var i = 1; i <= 30; i++)
        {
            await store.CommitAsync(Put("/a", $"{i}"));
        }

        var e = await Assert.ThrowsAsync<StoreCompactedException>(async () => await watch.MoveNextAsync());
        Assert.Equal(3, e.RequestedRevision);
        Assert.Equal(32 - 10, e.CompactedRevision); // revision 32 is current, 10 are kept
    }

    [Fact]
    public async Task ListAsync_OlderThanTheKeptHistory_ThrowsStoreCompactedException()
    {
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { HistoryRevisions = 5 });
        for (var i = 0; i < 10; i++)
        {
            await store.CommitAsync(Put("/a", $"{i}"));
        }

        var kept = await store.ListAsync("/", new StoreListOptions { Revision = 11 - 5 });
        await Assert.ThrowsAsync<StoreCompactedException>(() => store.ListAsync("/", new StoreListOptions { Revision = 11 - 6 }));
        Assert.Equal("4", Encoding.UTF8.GetString(kept.Items.Single().Value.Span));
    }

    [Fact]
    public async Task CommitAsync_32ConcurrentWriters_GetDistinctConsecutiveRevisions()
    {
        var data = Directory.CreateTempSubdirectory("kpf-embedded-");
        try
        {
            await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = data.FullName });
            var revisions = await Task.WhenAll(Enumerable.Range(0, 32).Select(w => Task.Run(async () =>
            {
                var mine = new List<long>();
                for (var i = 0; i < 40; i++)
                {
                    mine.Add((await store.CommitAsync(Put($"/w{w}/{i}", "x"))).Revision);
                }

                return mine;
            })));

            Assert.Equal(Enumerable.Range(2, 32 * 40).Select(r => (long)r), revisions.SelectMany(r => r).Order());
            Assert.All(revisions, r => Assert.Equal(r.Order(), r));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
