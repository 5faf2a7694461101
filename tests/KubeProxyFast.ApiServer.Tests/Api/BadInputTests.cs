using System.Net;
using System.Text;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>Bad requests get a Status that names the problem, and nothing is written.</summary>
public abstract class BadInputTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    [Fact]
    public async Task Create_MalformedJson_IsBadRequestWithPosition()
    {
        var status = await Expect(HttpStatusCode.BadRequest, await Server.PostJsonAsync(Pods, """{"apiVersion":"v1","kind":"Pod",,}"""));

        Assert.Contains("malformed JSON (line 1", Message(status), StringComparison.Ordinal);
        Assert.Equal("BadRequest", status.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Create_Yaml_IsAccepted()
    {
        var content = new StringContent("apiVersion: v1\nkind: Pod\nmetadata:\n  name: from-yaml\nspec:\n  containers:\n  - name: c\n    image: nginx\n", Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/yaml");

        var response = await Server.Http.PostAsync(Pods, content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Create_MalformedYaml_IsBadRequest()
    {
        var content = new StringContent("apiVersion: v1\nkind: [Pod\n", Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/yaml");

        var status = await Expect(HttpStatusCode.BadRequest, await Server.Http.PostAsync(Pods, content));

        Assert.StartsWith("the request body is not valid YAML", Message(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WrongKindForPath_IsBadRequestNamingBoth()
    {
        var status = await Expect(HttpStatusCode.BadRequest, await Server.PostJsonAsync(Pods, Service("svc")));

        Assert.Equal("the kind of the object (\"Service\") does not match the kind of the request path (\"Pod\")", Message(status));
    }

    [Fact]
    public async Task Create_WrongApiVersion_IsBadRequest()
    {
        var status = await Expect(HttpStatusCode.BadRequest, await Server.PostJsonAsync(Pods, Pod("p").Replace("\"v1\"", "\"v2\"", StringComparison.Ordinal)));

        Assert.Contains("apiVersion", Message(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NamespaceMismatch_IsBadRequest()
    {
        var body = Pod("p").Replace("\"name\":\"p\"", "\"name\":\"p\",\"namespace\":\"kube-system\"", StringComparison.Ordinal);

        var status = await Expect(HttpStatusCode.BadRequest, await Server.PostJsonAsync(Pods, body));

        Assert.Contains("does not match the namespace sent on the request", Message(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_NameMismatch_IsBadRequest()
    {
        await Created(Server, Pods, Pod("real"));

        var status = await Expect(HttpStatusCode.BadRequest, await Server.PutJsonAsync(Pods + "/real", Pod("other")));

        Assert.Equal("the name of the object (other) does not match the name on the URL (real)", Message(status));
    }

    [Fact]
    public async Task Create_InvalidFields_IsInvalidWithCauses()
    {
        var body = """{"apiVersion":"v1","kind":"Service","metadata":{"name":"Bad_Name"},"spec":{"ports":[{"port":70000}]}}""";

        var status = await Expect(HttpStatusCode.UnprocessableEntity, await Server.PostJsonAsync("/api/v1/namespaces/default/services", body));

        Assert.Equal("Invalid", status.GetProperty("reason").GetString());
        var fields = status.GetProperty("details").GetProperty("causes").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToArray();
        Assert.Contains("metadata.name", fields);
        Assert.Contains("spec.ports[0].port", fields);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync("/api/v1/namespaces/default/services/Bad_Name")).StatusCode);
    }

    [Fact]
    public async Task Create_WrongFieldType_IsBadRequestNamingField()
    {
        var body = """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":"eighty"}]}}""";

        var status = await Expect(HttpStatusCode.BadRequest, await Server.PostJsonAsync("/api/v1/namespaces/default/services", body));

        Assert.Contains("spec.ports[0].port", Message(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_OversizeBody_IsRequestEntityTooLarge()
    {
        var huge = Pod("big").Replace("\"app\":\"web\"", "\"app\":\"web\",\"pad\":\"" + new string('x', 3 * 1024 * 1024) + "\"", StringComparison.Ordinal);

        var status = await Expect(HttpStatusCode.RequestEntityTooLarge, await Server.PostJsonAsync(Pods, huge));

        Assert.Equal("Request entity too large: limit is 3145728", Message(status));
    }

    [Fact]
    public async Task Create_Cbor_IsUnsupportedMediaType()
    {
        var content = new ByteArrayContent([0xA0]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/cbor");

        var response = await Server.Http.PostAsync(Pods, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Patch_UnknownContentType_IsUnsupportedMediaType()
    {
        await Created(Server, Pods, Pod("p"));

        var response = await Server.PatchAsync(Pods + "/p", "{}", "application/apply-patch+yaml");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Patch_FailedJsonPatchTest_IsInvalidAndChangesNothing()
    {
        var created = await Created(Server, Pods, Pod("p"));

        var status = await Expect(HttpStatusCode.UnprocessableEntity, await Server.PatchAsync(Pods + "/p",
            """[{"op":"test","path":"/metadata/labels/app","value":"db"},{"op":"add","path":"/metadata/labels/x","value":"1"}]""", "application/json-patch+json"));

        Assert.Contains("test", Message(status), StringComparison.Ordinal);
        Assert.Equal(RV(created), RV(await Read(await Server.Http.GetAsync(Pods + "/p"))));
    }

    [Fact]
    public async Task Patch_NotJson_IsBadRequest()
    {
        await Created(Server, Pods, Pod("p"));

        var status = await Expect(HttpStatusCode.BadRequest, await Server.PatchAsync(Pods + "/p", "{labels", "application/merge-patch+json"));

        Assert.Contains("not valid JSON", Message(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_UnknownPathAndMethod_AreNotFoundAndMethodNotAllowed()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync("/api/v1/widgets")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync("/api/v1/pods/p")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Server.PutJsonAsync(Pods, "{}")).StatusCode);
    }

    private static async Task<System.Text.Json.JsonElement> Expect(HttpStatusCode code, HttpResponseMessage response)
    {
        var body = await Read(response);
        Assert.True(response.StatusCode == code, $"expected {(int)code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("Status", body.GetProperty("kind").GetString());
        Assert.Equal((int)code, body.GetProperty("code").GetInt32());
        return body;
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class BadInputOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : BadInputTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class BadInputOnEtcdTests(EtcdStoreBackend backend) : BadInputTests(backend), IClassFixture<EtcdStoreBackend>;
