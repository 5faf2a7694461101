using System.Net;
using KubeProxyFast.Storage.Etcd;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>The apiserver on a real etcd that goes away: 503 and nothing half-written, then recovery on its own.</summary>
public sealed class StoreOutageTests
{
    [Fact]
    public async Task EtcdDown_Answers503ThenRecovers()
    {
        using var etcd = EtcdServer.Launch();
        await using var store = new EtcdStore(etcd.ClientUrl, TimeSpan.FromSeconds(2));
        await using var server = await TestApiServer.StartAsync(store);
        await Created(server, "/api/v1/namespaces/default/services", Service("before", "198.19.1.1"));

        etcd.Stop();
        var during = await server.PostJsonAsync("/api/v1/namespaces/default/services", Service("during", "198.19.1.2"));
        var read = await server.Http.GetAsync("/api/v1/namespaces/default/services/before");
        var ready = await server.Http.GetAsync("/readyz");
        etcd.Start();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal("ServiceUnavailable", (await Read(during)).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        await RecoveredAsync(server);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/api/v1/namespaces/default/services/during")).StatusCode);
        // The failed create held no allocation: its cluster IP is free.
        await Created(server, "/api/v1/namespaces/default/services", Service("after", "198.19.1.2"));
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/api/v1/namespaces/default/services/before")).StatusCode);
        // Watches work again too (the watch cache restarted its etcd watch).
        var list = await Read(await server.Http.GetAsync("/api/v1/namespaces/default/services"));
        using var watch = await WatchReader.OpenAsync(server.Http, "/api/v1/namespaces/default/services?watch=true&resourceVersion=" + RV(list));
        await Created(server, "/api/v1/namespaces/default/services", Service("watched"));
        var seen = await watch.NextAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(("ADDED", "watched"), (seen.Type, seen.Object.GetProperty("metadata").GetProperty("name").GetString()));
    }

    private static async Task RecoveredAsync(TestApiServer server)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await server.Http.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the apiserver did not recover within 20 s of etcd's return");
            await Task.Delay(100);
        }
    }
}
