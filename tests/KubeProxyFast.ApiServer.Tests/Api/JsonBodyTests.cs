using System.Net;
using System.Text;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>
/// JSON the decoder reads without complaint but the code after it could not take — each a 500
/// found by the fuzz pass — is a 400 (a 422 for a patch's result) naming the field.
/// </summary>
public sealed class JsonBodyTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<string> Expect(HttpStatusCode code, HttpResponseMessage response)
    {
        var status = await Read(response);
        Assert.True(response.StatusCode == code, $"{(int)response.StatusCode} {status}");
        return Message(status);
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"\ud800","metadata":{"name":"p"}}""", "kind: invalid value: the string is not text")]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app":null}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""",
        "metadata.labels.app: invalid value: null is not allowed here")]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[null]}}""",
        "spec.containers[0]: invalid value: null is not allowed in a list")]
    public async Task Create_ValueTheCodeCannotTake_IsBadRequestNamingTheField(string json, string message)
    {
        var text = await Expect(HttpStatusCode.BadRequest, await _server.PostJsonAsync(Pods, json));

        Assert.Contains(message, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InvalidUtf8_IsBadRequest()
    {
        var body = Encoding.UTF8.GetBytes("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p?"}}""");
        body[Array.IndexOf(body, (byte)'?')] = 0xff;
        using var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

        var text = await Expect(HttpStatusCode.BadRequest, await _server.Http.PostAsync(Pods, content));

        Assert.Contains("metadata.name: invalid value: the string is not valid UTF-8", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_AddingANullToAList_IsInvalid()
    {
        await Created(_server, Pods, Pod("p"));

        var text = await Expect(HttpStatusCode.UnprocessableEntity, await _server.PatchAsync(Pods + "/p",
            """[{"op":"add","path":"/spec/containers/-","value":null}]""", "application/json-patch+json"));

        Assert.Contains("spec.containers[1]", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ControllerWithInvalidSelectorValue_IsInvalidNotAServerError()
    {
        var rc = """
            {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"rc"},
             "spec":{"replicas":0,"selector":{"app":"not valid!"},"template":{"metadata":{"labels":{"app":"rc"}},
             "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
            """;

        var text = await Expect(HttpStatusCode.UnprocessableEntity, await _server.PostJsonAsync("/api/v1/namespaces/default/replicationcontrollers", rc));

        Assert.Contains("spec.selector", text, StringComparison.Ordinal);
    }
}
