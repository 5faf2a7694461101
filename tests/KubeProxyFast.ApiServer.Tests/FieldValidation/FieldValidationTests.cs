using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.FieldValidation;

/// <summary>
/// fieldValidation on create, update and patch, through HTTP as kubectl and the client libraries
/// send it: every unknown or duplicate field named with Kubernetes' words, Strict refusing, Warn
/// warning (also when the parameter is absent), Ignore silent, unknown fields never stored.
/// </summary>
public sealed class FieldValidationTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    // Two unknown fields at different depths and one duplicate, so "every one" is checked, not "the first".
    private const string Body = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","name":"p"},
         "spec":{"foo":1,"containers":[{"name":"c","image":"nginx","bar":"x"}]}}
        """;

    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string body, string contentType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return _server.Http.SendAsync(new HttpRequestMessage(method, path) { Content = content });
    }

    private static string[] Warnings(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Warning", out var values) ? values.ToArray() : [];

    [Fact]
    public async Task Create_Strict_IsBadRequestNamingEveryUnknownAndDuplicateField()
    {
        var response = await Send(HttpMethod.Post, Pods + "?fieldValidation=Strict", Body);
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadRequest", status.GetProperty("reason").GetString());
        Assert.Equal(
            "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: duplicate field \"metadata.name\", unknown field \"spec.foo\", unknown field \"spec.containers[0].bar\"",
            Message(status));
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync(Pods + "/p")).StatusCode);
    }

    [Theory]
    [InlineData("?fieldValidation=Warn")]
    [InlineData("")]
    public async Task Create_WarnOrAbsent_WarnsPerFieldAndStoresWithoutUnknownFields(string query)
    {
        var response = await Send(HttpMethod.Post, Pods + query, Body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(
            ["299 - \"duplicate field \\\"metadata.name\\\"\"", "299 - \"unknown field \\\"spec.foo\\\"\"", "299 - \"unknown field \\\"spec.containers[0].bar\\\"\""],
            Warnings(response));
        var stored = await _server.Http.GetStringAsync(Pods + "/p");
        Assert.DoesNotContain("\"foo\"", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\"bar\"", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Ignore_NoWarningAndUnknownFieldsDropped()
    {
        var response = await Send(HttpMethod.Post, Pods + "?fieldValidation=Ignore", Body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(Warnings(response));
        Assert.DoesNotContain("\"foo\"", await _server.Http.GetStringAsync(Pods + "/p"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DuplicateField_Warn_KeepsTheLastValue()
    {
        var body = Pod("p").Replace("\"image\":\"nginx\"", "\"image\":\"first\",\"image\":\"nginx:2\"", StringComparison.Ordinal);

        var response = await Send(HttpMethod.Post, Pods, body);
        var pod = await Read(response);

        Assert.Equal(["299 - \"duplicate field \\\"spec.containers[0].image\\\"\""], Warnings(response));
        Assert.Equal("nginx:2", pod.GetProperty("spec").GetProperty("containers")[0].GetProperty("image").GetString());
    }

    [Theory]
    [InlineData("POST", "strict", "CreateOptions")]
    [InlineData("PUT", "Yes", "UpdateOptions")]
    [InlineData("PATCH", "warn", "PatchOptions")]
    public async Task Write_UnsupportedFieldValidation_IsInvalidNamingTheValue(string method, string value, string options)
    {
        await Created(_server, Pods, Pod("p"));
        var path = (method == "POST" ? Pods : Pods + "/p") + "?fieldValidation=" + value;

        var response = await Send(new HttpMethod(method), path, method == "PATCH" ? "{}" : Pod("p"),
            method == "PATCH" ? "application/merge-patch+json" : "application/json");
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(
            $"{options}.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"{value}\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"",
            Message(status));
    }

    [Fact]
    public async Task Update_StrictYaml_IsBadRequestNamingTheField()
    {
        await Created(_server, Pods, Pod("p"));
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            spec:
              containers:
              - name: c
                image: nginx
                portz: []
            """;

        var response = await Send(HttpMethod.Put, Pods + "/p?fieldValidation=Strict", yaml, "application/yaml");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith("strict decoding error: unknown field \"spec.containers[0].portz\"", Message(await Read(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_StrictUnknownFieldInResult_IsInvalidOnPatch()
    {
        await Created(_server, Pods, Pod("p"));

        var response = await Send(HttpMethod.Patch, Pods + "/p?fieldValidation=Strict", """{"spec":{"containers":[{"name":"c","bogus":1}]}}""",
            "application/strategic-merge-patch+json");
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Pod \"p\" is invalid: patch: strict decoding error: unknown field \"spec.containers[0].bogus\"", Message(status));
    }

    [Fact]
    public async Task Patch_StrictDuplicateInJsonPatch_IsInvalidWithJsonPatchPrefix()
    {
        await Created(_server, Pods, Pod("p"));

        var response = await Send(HttpMethod.Patch, Pods + "/p?fieldValidation=Strict",
            """[{"op":"replace","path":"/spec/containers/0/image","value":"a","value":"nginx:3"}]""", "application/json-patch+json");
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Pod \"p\" is invalid: patch: strict decoding error: json patch duplicate field \"[0].value\"", Message(status));
    }
}
