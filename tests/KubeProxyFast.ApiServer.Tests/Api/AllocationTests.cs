using System.Net;
using System.Text.Json;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>Cluster IPs and node ports: allocated in range, never twice, honoured or refused when requested, released on delete.</summary>
public sealed class AllocationTests : IAsyncLifetime
{
    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private const string Services = "/api/v1/namespaces/default/services";

    [Fact]
    public async Task Create_32Concurrently_AllGetDistinctClusterIpsInRange()
    {
        var creates = Enumerable.Range(0, 32).Select(i => Created(_server, Services, Service("s" + i))).ToArray();
        var services = await Task.WhenAll(creates);

        var ips = services.Select(ClusterIp).ToArray();
        Assert.Equal(32, ips.Distinct().Count());
        Assert.All(ips, ip => Assert.StartsWith("198.19.", ip, StringComparison.Ordinal));
        Assert.DoesNotContain("198.19.0.1", ips);
    }

    [Fact]
    public async Task Create_32ConcurrentlyOnSmallRange_NoDuplicates()
    {
        await using var small = await TestApiServer.StartAsync(options: new ApiServerOptions { ServiceClusterIpRange = "198.18.5.0/27" });
        // 30 usable addresses, one kept for the kubernetes service: 29 creates fit and the rest are refused.
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => small.PostJsonAsync(Services, Service("s" + i))));

        var ok = results.Where(r => r.StatusCode == HttpStatusCode.Created).ToArray();
        var ips = await Task.WhenAll(ok.Select(async r => ClusterIp(await Read(r))));
        Assert.Equal(29, ok.Length);
        Assert.Equal(29, ips.Distinct().Count());
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.InternalServerError, r.StatusCode));
    }

    [Fact]
    public async Task Create_RequestedIp_IsHonoured()
    {
        var service = await Created(_server, Services, Service("fixed", "198.19.7.7"));

        Assert.Equal("198.19.7.7", ClusterIp(service));
    }

    [Fact]
    public async Task Create_RequestedIpTaken_IsInvalid()
    {
        await Created(_server, Services, Service("first", "198.19.7.8"));
        var response = await _server.PostJsonAsync(Services, Service("second", "198.19.7.8"));
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("spec.clusterIP: Invalid value: \"198.19.7.8\": provided IP is already allocated", Message(status), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync(Services + "/second")).StatusCode);
    }

    [Fact]
    public async Task Create_RequestedIpOutOfRange_IsInvalid()
    {
        var response = await _server.PostJsonAsync(Services, Service("far", "198.18.0.5"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("provided IP is not in the valid range. The range of valid IPs is 198.19.0.0/16", Message(await Read(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Headless_GetsNoIp()
    {
        var service = await Created(_server, Services, Service("headless", "None"));

        Assert.Equal("None", ClusterIp(service));
    }

    [Fact]
    public async Task Delete_ReleasesIpForReuse()
    {
        await Created(_server, Services, Service("a", "198.19.9.9"));
        await _server.Http.DeleteAsync(Services + "/a");
        var again = await Created(_server, Services, Service("b", "198.19.9.9"));

        Assert.Equal("198.19.9.9", ClusterIp(again));
    }

    [Fact]
    public async Task Create_NodePortService_AllocatesPortInRange()
    {
        var service = await Created(_server, Services, Service("np", type: "NodePort"));

        var port = NodePort(service);
        Assert.InRange(port, 30000, 32767);
    }

    [Fact]
    public async Task Create_RequestedNodePortTaken_IsInvalidAndLeavesNoIp()
    {
        await Created(_server, Services, Service("np1", type: "NodePort", nodePort: 30080));
        var response = await _server.PostJsonAsync(Services, Service("np2", "198.19.3.3", type: "NodePort", nodePort: 30080));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated", Message(await Read(response)), StringComparison.Ordinal);
        // The refused create held nothing: its requested cluster IP is free.
        Assert.Equal("198.19.3.3", ClusterIp(await Created(_server, Services, Service("np3", "198.19.3.3"))));
    }

    [Fact]
    public async Task Update_NodePortToClusterIP_ReleasesPort()
    {
        var service = await Created(_server, Services, Service("flip", type: "NodePort", nodePort: 30500));
        var patched = await _server.PatchAsync(Services + "/flip", """{"spec":{"type":"ClusterIP","ports":[{"port":80,"nodePort":null}]}}""", "application/merge-patch+json");
        var reuse = await _server.PostJsonAsync(Services, Service("other", type: "NodePort", nodePort: 30500));

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(HttpStatusCode.Created, reuse.StatusCode);
        Assert.Equal(ClusterIp(service), ClusterIp(await Read(await _server.Http.GetAsync(Services + "/flip"))));
    }

    [Fact]
    public async Task Allocations_SurviveRestartOnSameStore()
    {
        await Created(_server, Services, Service("kept", "198.19.4.4"));
        await using var second = await TestApiServer.StartAsync(_server.Store);

        var response = await second.PostJsonAsync(Services, Service("clash", "198.19.4.4"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    private static string ClusterIp(JsonElement service) => service.GetProperty("spec").GetProperty("clusterIP").GetString()!;

    private static int NodePort(JsonElement service) => service.GetProperty("spec").GetProperty("ports")[0].GetProperty("nodePort").GetInt32();
}
