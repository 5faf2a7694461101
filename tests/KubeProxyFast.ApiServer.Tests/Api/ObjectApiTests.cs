using System.Net;
using System.Text.Json;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>Create, get, update, delete of objects through real HTTP against a real store.</summary>
public abstract class ObjectApiTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Pod = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""";

    [Fact]
    public async Task Create_Pod_ReturnsCreatedWithServerFields()
    {
        var response = await Server.PostJsonAsync("/api/v1/namespaces/default/pods", Pod);
        var body = await Json(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var meta = body.GetProperty("metadata");
        Assert.Equal("default", meta.GetProperty("namespace").GetString());
        Assert.True(Guid.TryParse(meta.GetProperty("uid").GetString(), out _));
        Assert.NotEmpty(meta.GetProperty("resourceVersion").GetString()!);
        Assert.Equal("Always", body.GetProperty("spec").GetProperty("restartPolicy").GetString());
        Assert.Equal("Pending", body.GetProperty("status").GetProperty("phase").GetString());
    }

    [Fact]
    public async Task Get_AfterCreate_ReturnsSameResourceVersion()
    {
        var created = await Json(await Server.PostJsonAsync("/api/v1/namespaces/default/pods", Pod));
        var got = await Json(await Server.Http.GetAsync("/api/v1/namespaces/default/pods/web"));

        Assert.Equal(RV(created), RV(got));
        Assert.Equal("Pod", got.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Create_Twice_SecondIsAlreadyExists()
    {
        await Server.PostJsonAsync("/api/v1/namespaces/default/pods", Pod);
        var response = await Server.PostJsonAsync("/api/v1/namespaces/default/pods", Pod);
        var status = await Json(response);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("AlreadyExists", status.GetProperty("reason").GetString());
        Assert.Equal("pods \"web\" already exists", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Get_Missing_IsNotFoundStatus()
    {
        var response = await Server.Http.GetAsync("/api/v1/namespaces/default/pods/nope");
        var status = await Json(response);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Status", status.GetProperty("kind").GetString());
        Assert.Equal("NotFound", status.GetProperty("reason").GetString());
        Assert.Equal(404, status.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Update_WithStaleResourceVersion_IsConflict()
    {
        var created = await Json(await Server.PostJsonAsync("/api/v1/namespaces/default/pods", Pod));
        var rv = RV(created);
        var first = await Server.PutJsonAsync("/api/v1/namespaces/default/pods/web", WithLabel(created, "v", "1"));
        var second = await Server.PutJsonAsync("/api/v1/namespaces/default/pods/web", WithLabel(created, "v", "2"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("Conflict", (await Json(second)).GetProperty("reason").GetString());
        var now = await Json(await Server.Http.GetAsync("/api/v1/namespaces/default/pods/web"));
        Assert.Equal("1", now.GetProperty("metadata").GetProperty("labels").GetProperty("v").GetString());
        Assert.NotEqual(rv, RV(now));
    }

    [Fact]
    public async Task Create_InMissingNamespace_IsNotFound()
    {
        var response = await Server.PostJsonAsync("/api/v1/namespaces/nowhere/pods", Pod);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("namespaces \"nowhere\" not found", (await Json(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Delete_Pod_RemovesIt()
    {
        await Server.PostJsonAsync("/api/v1/namespaces/default/pods", Pod);
        var deleted = await Server.Http.DeleteAsync("/api/v1/namespaces/default/pods/web");
        var after = await Server.Http.GetAsync("/api/v1/namespaces/default/pods/web");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task Put_MissingEndpoints_CreatesThem()
    {
        var body = """{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web"},"subsets":[{"addresses":[{"ip":"198.18.1.5"}],"ports":[{"port":80}]}]}""";

        var response = await Server.PutJsonAsync("/api/v1/namespaces/default/endpoints/web", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Server.Http.GetAsync("/api/v1/namespaces/default/endpoints/web")).StatusCode);
    }

    [Fact]
    public async Task Put_MissingPod_IsNotFound()
    {
        var response = await Server.PutJsonAsync("/api/v1/namespaces/default/pods/web", Pod);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    internal static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    internal static string RV(JsonElement obj) => obj.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;

    private static string WithLabel(JsonElement obj, string key, string value)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(obj.GetRawText())!;
        node["metadata"]!["labels"]![key] = value;
        return node.ToJsonString();
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class ObjectApiOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : ObjectApiTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class ObjectApiOnEtcdTests(EtcdStoreBackend backend) : ObjectApiTests(backend), IClassFixture<EtcdStoreBackend>;
