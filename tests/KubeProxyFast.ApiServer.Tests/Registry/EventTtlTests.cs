using KubeProxyFast.ApiServer.Tests.Api;
using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Registry;

/// <summary>Events expire after <see cref="ApiServerOptions.EventTtl"/> through store leases shared as kube-apiserver's lease manager shares them.</summary>
public sealed class EventTtlTests
{
    private const string Events = "/api/v1/namespaces/default/events";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static string Event(string name) =>
        $$"""{"apiVersion":"v1","kind":"Event","metadata":{"name":"{{name}}"},"involvedObject":{"kind":"Pod","name":"p","namespace":"default"},"reason":"Started","message":"m","type":"Normal","count":1}""";

    [Fact]
    public async Task EventTtl_EmbeddedStoreOnAFakeClock_EventsGoAfterTheTtlFromTheirLastWrite()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var store = EmbeddedStore.Open(new EmbeddedStoreOptions { Time = clock });
        // 100 s: leases are reused for 5 s (5%), so an event lives 100 to 105 s after its last write.
        await using var server = await TestApiServer.StartAsync(store, new ApiServerOptions { ServiceClusterIpRange = TestApiServer.ServiceClusterIpRange, EventTtl = TimeSpan.FromSeconds(100), Time = clock });
        await Created(server, Events, Event("e1"));
        clock.Advance(TimeSpan.FromSeconds(1));
        await Created(server, Events, Event("e2"));
        var pod = await Created(server, "/api/v1/namespaces/default/pods", Pod("p"));
        Assert.Equal((await store.GetAsync("/registry/events/default/e1"))!.Lease, (await store.GetAsync("/registry/events/default/e2"))!.Lease);
        Assert.Equal(0, (await store.GetAsync("/registry/pods/default/p"))!.Lease);
        using var watch = await WatchReader.OpenAsync(server.Http, Events + "?watch=true&resourceVersion=" + RV(pod));

        clock.Advance(TimeSpan.FromSeconds(49));
        using (var renewed = await server.Http.PatchAsync(Events + "/e2", new StringContent("""{"count":2}""", System.Text.Encoding.UTF8, "application/merge-patch+json")))
        {
            renewed.EnsureSuccessStatusCode();
        }

        clock.Advance(TimeSpan.FromSeconds(56));
        await Eventually.True(async () => await store.GetAsync("/registry/events/default/e1") is null, "e1 to expire", Timeout);
        Assert.NotNull(await store.GetAsync("/registry/events/default/e2"));
        Assert.NotNull(await store.GetAsync("/registry/pods/default/p"));
        Assert.Equal(("MODIFIED", "e2"), Named(await watch.NextAsync()));
        Assert.Equal(("DELETED", "e1"), Named(await watch.NextAsync()));

        clock.Advance(TimeSpan.FromSeconds(50));
        await Eventually.True(async () => await store.GetAsync("/registry/events/default/e2") is null, "e2 to expire", Timeout);
        Assert.Equal(("DELETED", "e2"), Named(await watch.NextAsync()));
    }

    [Fact]
    public async Task EventTtl_OnEtcd_EventExpiresThroughAnEtcdLease()
    {
        using var etcd = new EtcdStoreBackend();
        await using var data = await etcd.CreateAsync();
        await using var server = await TestApiServer.StartAsync(data, new ApiServerOptions { ServiceClusterIpRange = TestApiServer.ServiceClusterIpRange, EventTtl = TimeSpan.FromSeconds(1) });
        await Created(server, Events, Event("e1"));
        await Created(server, "/api/v1/namespaces/default/pods", Pod("p"));
        Assert.NotEqual(0, (await server.Store.GetAsync("/registry/events/default/e1"))!.Lease);

        // etcd raises the lease to its 2 s minimum and looks for expired leases every 500 ms.
        await Eventually.True(async () => (await server.Http.GetAsync(Events + "/e1")).StatusCode == System.Net.HttpStatusCode.NotFound, "the event to expire", Timeout);
        Assert.NotNull(await server.Store.GetAsync("/registry/pods/default/p"));
    }

    private static (string Type, string Name) Named((string Type, System.Text.Json.JsonElement Object) e) =>
        (e.Type, e.Object.GetProperty("metadata").GetProperty("name").GetString()!);
}
