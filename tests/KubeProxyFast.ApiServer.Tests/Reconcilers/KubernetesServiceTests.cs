using System.Net;
using System.Text;
using System.Text.Json;
using KubeProxyFast.Storage;
using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Reconcilers;

/// <summary>The <c>kubernetes</c> Service and Endpoints in <c>default</c>, kept by every apiserver on the store.</summary>
public sealed class KubernetesServiceTests
{
    private const string ServicePath = "/api/v1/namespaces/default/services/kubernetes";
    private const string EndpointsPath = "/api/v1/namespaces/default/endpoints/kubernetes";

    private static readonly ApiServerOptions Fast = new()
    {
        ServiceClusterIpRange = TestApiServer.ServiceClusterIpRange,
        EndpointReconcileInterval = TimeSpan.FromMilliseconds(100),
        ApiServerLeaseTtl = TimeSpan.FromSeconds(1),
    };

    [Fact]
    public async Task Start_CreatesServiceOnFirstAddressAndEndpointsOfTheServer()
    {
        await using var server = await TestApiServer.StartAsync(options: Fast);

        var service = await EventuallyGetAsync(server, ServicePath);
        var endpoints = await EventuallyGetAsync(server, EndpointsPath);

        var spec = service.GetProperty("spec");
        Assert.Equal(("ClusterIP", "198.19.0.1"), (spec.GetProperty("type").GetString(), spec.GetProperty("clusterIP").GetString()));
        Assert.Equal(
            $$"""[{"name":"https","protocol":"TCP","port":443,"targetPort":{{server.Url.Port}}}]""",
            spec.GetProperty("ports").GetRawText());
        Assert.Equal("apiserver", service.GetProperty("metadata").GetProperty("labels").GetProperty("component").GetString());
        Assert.Equal(
            $$"""[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"name":"https","port":{{server.Url.Port}},"protocol":"TCP"}]}]""",
            endpoints.GetProperty("subsets").GetRawText());
    }

    [Fact]
    public async Task Deleted_IsRecreatedWithinAnInterval()
    {
        await using var server = await TestApiServer.StartAsync(options: Fast);
        await EventuallyGetAsync(server, EndpointsPath);

        Assert.Equal(HttpStatusCode.OK, (await server.Http.DeleteAsync(ServicePath)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.DeleteAsync(EndpointsPath)).StatusCode);

        var service = await EventuallyGetAsync(server, ServicePath);
        await EventuallyGetAsync(server, EndpointsPath);
        Assert.Equal("198.19.0.1", service.GetProperty("spec").GetProperty("clusterIP").GetString());
    }

    [Fact]
    public async Task Edited_IsRepaired()
    {
        await using var server = await TestApiServer.StartAsync(options: Fast);
        await EventuallyGetAsync(server, EndpointsPath);
        await EventuallyGetAsync(server, ServicePath);

        var patched = await server.PatchAsync(ServicePath, """{"spec":{"ports":[{"name":"web","port":8443,"targetPort":1}]}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        patched = await server.PatchAsync(EndpointsPath, """{"subsets":[{"addresses":[{"ip":"198.18.0.9"}],"ports":[{"name":"https","port":1}]}]}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        await Eventually.True(async () => (await Get(server, ServicePath)).GetProperty("spec").GetProperty("ports")[0].GetProperty("port").GetInt32() == 443,
            "the service's port is 443 again");
        await Eventually.True(async () => (await Get(server, EndpointsPath)).GetProperty("subsets")[0].GetProperty("addresses")[0].GetProperty("ip").GetString() == "127.0.0.1",
            "the endpoints list the server again");
    }

    [Fact]
    public async Task TwoServersOnOneStore_BothListed_AndAStoppedOneLeaves()
    {
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions());
        await using var first = await TestApiServer.StartAsync(store, Fast);
        var second = await TestApiServer.StartAsync(store, Fast);
        var ports = new[] { first.Url.Port, second.Url.Port }.Order().ToArray();

        await Eventually.True(async () => EndpointPorts(await Get(first, EndpointsPath)).SequenceEqual(ports), "both servers are listed");
        await second.DisposeAsync();

        await Eventually.True(async () => EndpointPorts(await Get(first, EndpointsPath)).SequenceEqual([first.Url.Port]), "the stopped server is gone");
    }

    [Fact]
    public async Task LeaseOfAServerThatDiedWithoutStopping_LeavesAfterItsTtl()
    {
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions());
        // What a server that was killed leaves behind: a lease nobody renews (expiring in one second), and one already lapsed.
        await PutLeaseAsync(store, "127.0.0.1", 1, DateTimeOffset.UtcNow.AddSeconds(1));
        await PutLeaseAsync(store, "127.0.0.1", 2, DateTimeOffset.UtcNow.AddSeconds(-1));
        await using var server = await TestApiServer.StartAsync(store, Fast);

        await Eventually.True(async () => EndpointPorts(await Get(server, EndpointsPath)).SequenceEqual([1, server.Url.Port]), "the live lease is listed, the lapsed one not");
        await Eventually.True(async () => EndpointPorts(await Get(server, EndpointsPath)).SequenceEqual([server.Url.Port]), "the dead server leaves after its TTL", TimeSpan.FromSeconds(5));
        Assert.Single((await store.ListAsync("/registry/masterleases/")).Items);
    }

    private static int[] EndpointPorts(JsonElement endpoints) =>
        endpoints.TryGetProperty("subsets", out var subsets)
            ? subsets.EnumerateArray().Select(s => s.GetProperty("ports")[0].GetProperty("port").GetInt32()).ToArray()
            : [];

    private static async Task PutLeaseAsync(EmbeddedStore store, string address, int port, DateTimeOffset expires) =>
        await store.CommitAsync(new StoreTxn([], [new StorePut($"/registry/masterleases/{address}:{port}",
            Encoding.UTF8.GetBytes($$"""{"address":"{{address}}","port":{{port}},"expires":"{{expires.UtcDateTime:O}}"}"""))]));

    private static async Task<JsonElement> Get(TestApiServer server, string path) => await Read(await server.Http.GetAsync(path));

    private static async Task<JsonElement> EventuallyGetAsync(TestApiServer server, string path)
    {
        await Eventually.True(async () => (await server.Http.GetAsync(path)).StatusCode == HttpStatusCode.OK, path + " exists");
        return await Get(server, path);
    }
}
