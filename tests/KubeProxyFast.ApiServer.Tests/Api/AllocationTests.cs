using System.Net;
using System.Text.Json;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>Cluster IPs and node ports: allocated in range, never twice, honoured or refused when requested, released on delete.</summary>
public abstract class AllocationTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Services = "/api/v1/namespaces/default/services";

    [Fact]
    public async Task Create_32Concurrently_AllGetDistinctClusterIpsInRange()
    {
        var creates = Enumerable.Range(0, 32).Select(i => Created(Server, Services, Service("s" + i))).ToArray();
        var services = await Task.WhenAll(creates);

        var ips = services.Select(ClusterIp).ToArray();
        Assert.Equal(32, ips.Distinct().Count());
        Assert.All(ips, ip => Assert.StartsWith("198.19.", ip, StringComparison.Ordinal));
        Assert.DoesNotContain("198.19.0.1", ips);
    }

    [Fact]
    public async Task Create_32ConcurrentlyOnSmallRange_NoDuplicates()
    {
        await StartOnFreshDataAsync(new ApiServerOptions { ServiceClusterIpRange = "198.18.5.0/27" });
        // 30 usable addresses, one kept for the kubernetes service: 29 creates fit and the rest are refused.
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Server.PostJsonAsync(Services, Service("s" + i))));

        var ok = results.Where(r => r.StatusCode == HttpStatusCode.Created).ToArray();
        var ips = await Task.WhenAll(ok.Select(async r => ClusterIp(await Read(r))));
        Assert.Equal(29, ok.Length);
        Assert.Equal(29, ips.Distinct().Count());
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.InternalServerError, r.StatusCode));
    }

    [Fact]
    public async Task Create_RequestedIp_IsHonoured()
    {
        var service = await Created(Server, Services, Service("fixed", "198.19.7.7"));

        Assert.Equal("198.19.7.7", ClusterIp(service));
    }

    [Fact]
    public async Task Create_RequestedIpTaken_IsInvalid()
    {
        await Created(Server, Services, Service("first", "198.19.7.8"));
        var response = await Server.PostJsonAsync(Services, Service("second", "198.19.7.8"));
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("spec.clusterIP: Invalid value: \"198.19.7.8\": provided IP is already allocated", Message(status), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync(Services + "/second")).StatusCode);
    }

    [Fact]
    public async Task Create_RequestedIpOutOfRange_IsInvalid()
    {
        var response = await Server.PostJsonAsync(Services, Service("far", "198.18.0.5"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("provided IP is not in the valid range. The range of valid IPs is 198.19.0.0/16", Message(await Read(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Headless_GetsNoIp()
    {
        var service = await Created(Server, Services, Service("headless", "None"));

        Assert.Equal("None", ClusterIp(service));
    }

    [Fact]
    public async Task Delete_ReleasesIpForReuse()
    {
        await Created(Server, Services, Service("a", "198.19.9.9"));
        await Server.Http.DeleteAsync(Services + "/a");
        var again = await Created(Server, Services, Service("b", "198.19.9.9"));

        Assert.Equal("198.19.9.9", ClusterIp(again));
    }

    [Fact]
    public async Task Create_NodePortService_AllocatesPortInRange()
    {
        var service = await Created(Server, Services, Service("np", type: "NodePort"));

        var port = NodePort(service);
        Assert.InRange(port, 30000, 32767);
    }

    [Fact]
    public async Task Create_RequestedNodePortTaken_IsInvalidAndLeavesNoIp()
    {
        await Created(Server, Services, Service("np1", type: "NodePort", nodePort: 30080));
        var response = await Server.PostJsonAsync(Services, Service("np2", "198.19.3.3", type: "NodePort", nodePort: 30080));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated", Message(await Read(response)), StringComparison.Ordinal);
        // The refused create held nothing: its requested cluster IP is free.
        Assert.Equal("198.19.3.3", ClusterIp(await Created(Server, Services, Service("np3", "198.19.3.3"))));
    }

    [Fact]
    public async Task Update_NodePortToClusterIP_ReleasesPort()
    {
        var service = await Created(Server, Services, Service("flip", type: "NodePort", nodePort: 30500));
        var patched = await Server.PatchAsync(Services + "/flip", """{"spec":{"type":"ClusterIP","ports":[{"port":80,"nodePort":null}]}}""", "application/merge-patch+json");
        var reuse = await Server.PostJsonAsync(Services, Service("other", type: "NodePort", nodePort: 30500));

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(HttpStatusCode.Created, reuse.StatusCode);
        Assert.Equal(ClusterIp(service), ClusterIp(await Read(await Server.Http.GetAsync(Services + "/flip"))));
    }

    [Fact]
    public async Task Allocations_SurviveRestart_NoDuplicatesAfter()
    {
        // 5 free addresses (of 6 usable, one is the kubernetes service's) and 5 node ports, 3 of each
        // taken before the restart: exactly 2 more fit after it, unless the new server forgot them.
        await StartOnFreshDataAsync(new ApiServerOptions { ServiceClusterIpRange = "198.18.6.0/29", ServiceNodePortRange = "30100-30104" });
        var before = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            before.Add(await Created(Server, Services, Service("before" + i, type: "NodePort")));
        }

        await RestartAsync();
        var requestedIp = await Server.PostJsonAsync(Services, Service("clash-ip", ClusterIp(before[0])));
        var requestedPort = await Server.PostJsonAsync(Services, Service("clash-port", type: "NodePort", nodePort: NodePort(before[0])));
        var after = new List<JsonElement>();
        HttpResponseMessage response;
        while ((response = await Server.PostJsonAsync(Services, Service("after" + after.Count, type: "NodePort"))).StatusCode == HttpStatusCode.Created)
        {
            after.Add(await Read(response));
            Assert.True(after.Count <= 3, "more services were created than the ranges have room for after the restart");
        }

        Assert.Equal(HttpStatusCode.UnprocessableEntity, requestedIp.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, requestedPort.StatusCode);
        Assert.Equal(2, after.Count);
        var kept = await Task.WhenAll(before.Select(async s => await Read(await Server.Http.GetAsync(Services + "/" + s.GetProperty("metadata").GetProperty("name").GetString()))));
        Assert.Equal(before.Select(ClusterIp), kept.Select(ClusterIp));
        Assert.Equal(before.Select(NodePort), kept.Select(NodePort));
        var ips = before.Concat(after).Select(ClusterIp).Append("198.18.6.1").ToArray();
        Assert.Equal(ips.Length, ips.Distinct().Count());
        var ports = before.Concat(after).Select(NodePort).ToArray();
        Assert.Equal(ports.Length, ports.Distinct().Count());
    }

    private static string ClusterIp(JsonElement service) => service.GetProperty("spec").GetProperty("clusterIP").GetString()!;

    private static int NodePort(JsonElement service) => service.GetProperty("spec").GetProperty("ports")[0].GetProperty("nodePort").GetInt32();
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class AllocationOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : AllocationTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class AllocationOnEtcdTests(EtcdStoreBackend backend) : AllocationTests(backend), IClassFixture<EtcdStoreBackend>;
