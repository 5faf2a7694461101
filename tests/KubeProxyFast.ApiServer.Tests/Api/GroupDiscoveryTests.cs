using System.Net;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>Named API groups in discovery: <c>/apis</c>, <c>/apis/{group}</c>, <c>/apis/{group}/{version}</c>, and the aggregated documents.</summary>
public abstract class GroupDiscoveryTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string AggregatedV2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private const string AggregatedV2Beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    [Fact]
    public async Task Apis_ListsCoordinationGroupWithPreferredVersion()
    {
        var list = await Read(await Server.Http.GetAsync("/apis"));

        var group = list.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "coordination.k8s.io");
        Assert.Equal("APIGroupList", list.GetProperty("kind").GetString());
        Assert.Contains(list.GetProperty("groups").EnumerateArray(), g => g.GetProperty("name").GetString() == "rbac.authorization.k8s.io");
        Assert.Equal("coordination.k8s.io/v1", group.GetProperty("versions")[0].GetProperty("groupVersion").GetString());
        Assert.Equal("v1", group.GetProperty("preferredVersion").GetProperty("version").GetString());
    }

    [Fact]
    public async Task ApisGroup_Coordination_IsAnApiGroup()
    {
        var group = await Read(await Server.Http.GetAsync("/apis/coordination.k8s.io"));

        Assert.Equal("APIGroup", group.GetProperty("kind").GetString());
        Assert.Equal("coordination.k8s.io", group.GetProperty("name").GetString());
        Assert.Equal("coordination.k8s.io/v1", group.GetProperty("preferredVersion").GetProperty("groupVersion").GetString());
    }

    [Fact]
    public async Task ApisGroupVersion_Coordination_ListsLeases()
    {
        var list = await Read(await Server.Http.GetAsync("/apis/coordination.k8s.io/v1"));

        var lease = Assert.Single(list.GetProperty("resources").EnumerateArray());
        Assert.Equal("coordination.k8s.io/v1", list.GetProperty("groupVersion").GetString());
        Assert.Equal("leases", lease.GetProperty("name").GetString());
        Assert.Equal("lease", lease.GetProperty("singularName").GetString());
        Assert.Equal("Lease", lease.GetProperty("kind").GetString());
        Assert.True(lease.GetProperty("namespaced").GetBoolean());
        Assert.Equal(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], lease.GetProperty("verbs").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task OpenApiV2_DescribesLeasesUnderTheirGroup()
    {
        var document = await Read(await Server.Http.GetAsync("/openapi/v2"));

        var lease = document.GetProperty("definitions").GetProperty("io.k8s.api.coordination.v1.Lease");
        var gvk = lease.GetProperty("x-kubernetes-group-version-kind")[0];
        var list = document.GetProperty("paths").GetProperty("/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases").GetProperty("get");
        Assert.Equal(("coordination.k8s.io", "v1", "Lease"), (gvk.GetProperty("group").GetString(), gvk.GetProperty("version").GetString(), gvk.GetProperty("kind").GetString()));
        Assert.Equal("listCoordinationV1NamespacedLease", list.GetProperty("operationId").GetString());
        var spec = document.GetProperty("definitions").GetProperty("io.k8s.api.coordination.v1.LeaseSpec");
        Assert.Equal("#/definitions/io.k8s.api.coordination.v1.LeaseSpec", lease.GetProperty("properties").GetProperty("spec").GetProperty("$ref").GetString());
        Assert.Equal("integer", spec.GetProperty("properties").GetProperty("leaseDurationSeconds").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("/apis/example.com")]
    [InlineData("/apis/example.com/v1")]
    [InlineData("/apis/coordination.k8s.io/v1beta1")]
    [InlineData("/apis/coordination.k8s.io/v1beta1/namespaces/default/leases")]
    [InlineData("/apis/coordination.k8s.io/v1/namespaces/default/pods")]
    [InlineData("/api/v2/pods")]
    [InlineData("/api/v1/leases")]
    public async Task UnknownGroupVersionOrResource_IsNotFoundStatus(string path)
    {
        var response = await Server.Http.GetAsync(path);
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Status", status.GetProperty("kind").GetString());
        Assert.Equal("NotFound", status.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData(AggregatedV2 + "," + AggregatedV2Beta1 + ",application/json", "v2")]
    [InlineData(AggregatedV2Beta1 + ",application/json", "v2beta1")]
    [InlineData("application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList," + AggregatedV2, "v2")]
    public async Task Apis_AggregatedAccepted_AnswersListWithSameContentType(string accept, string version)
    {
        var response = await Get("/apis", accept);
        var list = await Read(response);

        Assert.Equal($"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList", response.Content.Headers.ContentType!.ToString().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("apidiscovery.k8s.io/" + version, list.GetProperty("apiVersion").GetString());
        Assert.Equal("APIGroupDiscoveryList", list.GetProperty("kind").GetString());
        var group = list.GetProperty("items").EnumerateArray().Single(g => g.GetProperty("metadata").GetProperty("name").GetString() == "coordination.k8s.io");
        var v1 = Assert.Single(group.GetProperty("versions").EnumerateArray());
        Assert.Equal("Current", v1.GetProperty("freshness").GetString());
        var lease = Assert.Single(v1.GetProperty("resources").EnumerateArray());
        Assert.Equal("leases", lease.GetProperty("resource").GetString());
        Assert.Equal("Namespaced", lease.GetProperty("scope").GetString());
        Assert.Equal("lease", lease.GetProperty("singularResource").GetString());
        Assert.Equal("coordination.k8s.io", lease.GetProperty("responseKind").GetProperty("group").GetString());
        Assert.Equal("Lease", lease.GetProperty("responseKind").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Api_AggregatedV2_ListsCoreResourcesWithSubresources()
    {
        var response = await Get("/api", AggregatedV2 + ",application/json");
        var list = await Read(response);

        var core = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.False(core.GetProperty("metadata").TryGetProperty("name", out _));
        var v1 = Assert.Single(core.GetProperty("versions").EnumerateArray());
        Assert.Equal("v1", v1.GetProperty("version").GetString());
        var resources = v1.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("resource").GetString()!);
        Assert.Equal("Cluster", resources["nodes"].GetProperty("scope").GetString());
        Assert.Equal(["po"], resources["pods"].GetProperty("shortNames").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["all"], resources["services"].GetProperty("categories").EnumerateArray().Select(s => s.GetString()));
        var scale = resources["replicationcontrollers"].GetProperty("subresources").EnumerateArray().Single(s => s.GetProperty("subresource").GetString() == "scale");
        Assert.Equal("autoscaling", scale.GetProperty("responseKind").GetProperty("group").GetString());
        Assert.Equal("Scale", scale.GetProperty("responseKind").GetProperty("kind").GetString());
        Assert.Equal(["create"], resources["bindings"].GetProperty("verbs").EnumerateArray().Select(v => v.GetString()));
        Assert.False(resources.ContainsKey("leases"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("application/json," + AggregatedV2)]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json")]
    public async Task ApiAndApis_NotAskedForAggregated_AnswerLegacyDocuments(string? accept)
    {
        var api = await Get("/api", accept);
        var apis = await Get("/apis", accept);

        Assert.Equal("application/json", api.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain(api.Content.Headers.ContentType.Parameters, p => p.Name == "as");
        Assert.Equal("APIVersions", (await Read(api)).GetProperty("kind").GetString());
        Assert.Equal("APIGroupList", (await Read(apis)).GetProperty("kind").GetString());
    }

    private async Task<HttpResponseMessage> Get(string path, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await Server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class GroupDiscoveryOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : GroupDiscoveryTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class GroupDiscoveryOnEtcdTests(EtcdStoreBackend backend) : GroupDiscoveryTests(backend), IClassFixture<EtcdStoreBackend>;
