using System.Globalization;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>
/// Watches of recent revisions are served by the resource's watch cache (one store watch for all),
/// older ones by the store; both deliver the same events in the same order.
/// </summary>
public abstract class WatchCacheTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    [Fact]
    public async Task ManyWatchers_FromListRevision_AllSeeEveryEventInOrderFromTheCache()
    {
        var list = await WhenCacheServesAsync();
        var watchers = new List<WatchReader>();
        for (var i = 0; i < 20; i++)
        {
            watchers.Add(await WatchReader.OpenAsync(Server.Http, Pods + "?watch=true&resourceVersion=" + RV(list)));
        }

        try
        {
            for (var i = 0; i < 10; i++)
            {
                await Created(Server, Pods, Pod("p" + i.ToString(CultureInfo.InvariantCulture)));
            }

            foreach (var watcher in watchers)
            {
                for (var i = 0; i < 10; i++)
                {
                    var (type, obj) = await watcher.NextAsync();
                    Assert.Equal(("ADDED", "p" + i.ToString(CultureInfo.InvariantCulture)), (type, obj.GetProperty("metadata").GetProperty("name").GetString()));
                }
            }
        }
        finally
        {
            watchers.ForEach(w => w.Dispose());
        }

        var served = System.Text.RegularExpressions.Regex.Match(await Server.Http.GetStringAsync("/metrics"), "kpf_apiserver_watches_total\\{resource=\"pods\",source=\"cache\"\\} (\\d+)");
        Assert.True(served.Success && int.Parse(served.Groups[1].Value, CultureInfo.InvariantCulture) >= 20, "the 20 watches were not all served by the cache");
    }

    [Fact]
    public async Task Watch_FromBeforeTheCacheStarted_IsServedByTheStoreWithHistory()
    {
        await WhenCacheServesAsync();
        await Created(Server, Pods, Pod("early"));
        // The store's revision before the server started, and its caches with it.
        using var watch = await WatchReader.OpenAsync(Server.Http, Pods + "?watch=true&resourceVersion=" + Server.InitialRevision);

        var (type, obj) = await watch.NextAsync();

        Assert.Equal(("ADDED", "early"), (type, obj.GetProperty("metadata").GetProperty("name").GetString()));
        Assert.Contains("source=\"store\"", await Server.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_FromOwnWriteRevision_SkipsThatWrite()
    {
        await WhenCacheServesAsync();
        var created = await Created(Server, Pods, Pod("mine"));
        using var watch = await WatchReader.OpenAsync(Server.Http, Pods + "?watch=true&resourceVersion=" + RV(created));

        await Created(Server, Pods, Pod("next"));
        var (type, obj) = await watch.NextAsync();

        Assert.Equal(("ADDED", "next"), (type, obj.GetProperty("metadata").GetProperty("name").GetString()));
    }

    /// <summary>Waits until a watch from the current revision is served by the cache (it starts with the server).</summary>
    private async Task<System.Text.Json.JsonElement> WhenCacheServesAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var list = await Read(await Server.Http.GetAsync(Pods));
            using (await WatchReader.OpenAsync(Server.Http, Pods + "?watch=true&timeoutSeconds=1&resourceVersion=" + RV(list)))
            {
            }

            if ((await Server.Http.GetStringAsync("/metrics")).Contains("resource=\"pods\",source=\"cache\"", StringComparison.Ordinal))
            {
                return await Read(await Server.Http.GetAsync(Pods));
            }

            Assert.True(DateTime.UtcNow < deadline, "the pods watch cache did not start within 10 s");
            await Task.Delay(50);
        }
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class WatchCacheOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : WatchCacheTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class WatchCacheOnEtcdTests(EtcdStoreBackend backend) : WatchCacheTests(backend), IClassFixture<EtcdStoreBackend>;
