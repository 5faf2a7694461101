using System.Globalization;
using System.Net;
using System.Text.Json;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>
/// resourceVersion, resourceVersionMatch and timeoutSeconds as Kubernetes answers them: nothing
/// malformed is ignored, nothing from the future waits silently, nothing is a 500.
/// </summary>
public abstract class ResourceVersionTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    [Theory]
    [InlineData(Pods + "?resourceVersion=abc")]
    [InlineData(Pods + "?resourceVersion=-1")]
    [InlineData(Pods + "?watch=true&resourceVersion=1e3")]
    [InlineData(Pods + "/p?resourceVersion=abc")]
    public async Task Read_GarbageResourceVersion_IsBadRequest(string path)
    {
        await Created(Server, Pods, Pod("p"));

        var status = await Expect(HttpStatusCode.BadRequest, await Server.Http.GetAsync(path));

        Assert.StartsWith("invalid resource version: resourceVersion: Invalid value:", Message(status), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?resourceVersion=1&resourceVersionMatch=garbage",
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"garbage\": supported values: \"Exact\", \"NotOlderThan\", \"\"")]
    [InlineData("?resourceVersionMatch=Exact",
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")]
    [InlineData("?resourceVersion=0&resourceVersionMatch=Exact",
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")]
    [InlineData("?watch=true&resourceVersion=1&resourceVersionMatch=NotOlderThan",
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")]
    public async Task List_ResourceVersionMatchAgainstTheRules_IsInvalid(string query, string message)
    {
        var status = await Expect(HttpStatusCode.UnprocessableEntity, await Server.Http.GetAsync(Pods + query));

        Assert.Equal(message, Message(status));
        Assert.Equal("ListOptions", status.GetProperty("details").GetProperty("kind").GetString());
        Assert.Equal("resourceVersionMatch", status.GetProperty("details").GetProperty("causes")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Put_GarbageResourceVersion_IsBadRequestAndObjectUnchanged()
    {
        var before = await Created(Server, Pods, Pod("p"));
        var body = Pod("p", app: "changed").Replace("\"name\":\"p\"", "\"name\":\"p\",\"resourceVersion\":\"abc\"", StringComparison.Ordinal);

        var status = await Expect(HttpStatusCode.BadRequest, await Server.PutJsonAsync(Pods + "/p", body));

        Assert.Equal("invalid resource version: metadata.resourceVersion: Invalid value: \"abc\": must be an unsigned integer", Message(status));
        Assert.Equal(RV(before), RV(await Read(await Server.Http.GetAsync(Pods + "/p"))));
    }

    [Theory]
    [InlineData(Pods + "?watch=true&resourceVersion={future}")]
    [InlineData(Pods + "?resourceVersion={future}")]
    [InlineData(Pods + "?resourceVersion={future}&resourceVersionMatch=Exact")]
    [InlineData(Pods + "/p?resourceVersion={future}")]
    public async Task Read_FutureResourceVersion_IsTooLargeResourceVersion(string path)
    {
        var created = await Created(Server, Pods, Pod("p"));
        var future = long.Parse(RV(created), CultureInfo.InvariantCulture) + 1000;

        var status = await Expect(HttpStatusCode.GatewayTimeout, await Server.Http.GetAsync(path.Replace("{future}", future.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)));

        Assert.StartsWith($"Timeout: Too large resource version: {future}, current: ", Message(status), StringComparison.Ordinal);
        Assert.Equal("Timeout", status.GetProperty("reason").GetString());
        var details = status.GetProperty("details");
        Assert.Equal(1, details.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal("ResourceVersionTooLarge", details.GetProperty("causes")[0].GetProperty("reason").GetString());
        Assert.Equal("Too large resource version", details.GetProperty("causes")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task List_ExactResourceVersion_ReadsThatRevision()
    {
        var first = await Created(Server, Pods, Pod("first"));
        await Created(Server, Pods, Pod("second"));

        var list = await Read(await Server.Http.GetAsync($"{Pods}?resourceVersion={RV(first)}&resourceVersionMatch=Exact"));

        Assert.Equal(["first"], Names(list));
        Assert.Equal(RV(first), list.GetProperty("metadata").GetProperty("resourceVersion").GetString());
    }

    [Fact]
    public async Task Watch_TimeoutPastTheTimer_StreamsInsteadOfFailing()
    {
        await Created(Server, Pods, Pod("p"));

        using var watch = await WatchReader.OpenAsync(Server.Http, Pods + "?watch=true&timeoutSeconds=4294968");

        Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
        Assert.Equal("ADDED", (await watch.NextAsync()).Type);
    }

    private static async Task<JsonElement> Expect(HttpStatusCode code, HttpResponseMessage response)
    {
        var body = await Read(response);
        Assert.True(response.StatusCode == code, $"expected {(int)code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal((int)code, body.GetProperty("code").GetInt32());
        return body;
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class ResourceVersionOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : ResourceVersionTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class ResourceVersionOnEtcdTests(EtcdStoreBackend backend) : ResourceVersionTests(backend), IClassFixture<EtcdStoreBackend>;
