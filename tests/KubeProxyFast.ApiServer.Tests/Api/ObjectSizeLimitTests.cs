using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Storage.Etcd;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>
/// No write stores an object larger than <see cref="ApiServerOptions.MaxObjectBytes"/>, whatever
/// made it large — the body, a patch of any type, a status update — and a refused write leaves
/// the stored object as it was.
/// </summary>
public sealed class ObjectSizeLimitTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    // Events: a free-text message that validation leaves unbounded and an update may change.
    private const string Events = "/api/v1/namespaces/default/events";
    private const long Limit = ApiServerOptions.DefaultMaxObjectBytes;

    // Under the 3 MiB body limit, over the object limit.
    private static readonly string Padding = new('x', 3_000_000);

    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Create_BodyUnderBodyLimitOverObjectLimit_IsTooLargeAndNothingStored()
    {
        var body = Event("big", Padding);
        Assert.InRange(body.Length, Limit + 1, ApiServerOptions.DefaultMaxRequestBodyBytes);

        var status = await ExpectTooLarge(await _server.PostJsonAsync(Events, body));

        Assert.Matches("""^Request entity too large: events "big" would be stored as \d+ bytes; limit is 1507328$""", Message(status));
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync(Events + "/big")).StatusCode);
    }

    [Fact]
    public async Task Update_OverObjectLimit_IsTooLargeAndObjectUnchanged()
    {
        var before = await Created(_server, Events, Event("e", "small"));

        await ExpectTooLarge(await _server.PutJsonAsync(Events + "/e", Event("e", Padding)));

        await AssertUnchanged(Events + "/e", before);
    }

    [Theory]
    [InlineData("application/merge-patch+json", """{"message":"PAD"}""")]
    [InlineData("application/strategic-merge-patch+json", """{"message":"PAD"}""")]
    [InlineData("application/json-patch+json", """[{"op":"replace","path":"/message","value":"PAD"}]""")]
    public async Task Patch_OverObjectLimit_IsTooLargeAndObjectUnchanged(string mediaType, string patch)
    {
        var before = await Created(_server, Events, Event("e", "small"));

        await ExpectTooLarge(await _server.PatchAsync(Events + "/e", patch.Replace("PAD", Padding, StringComparison.Ordinal), mediaType));

        await AssertUnchanged(Events + "/e", before);
    }

    [Fact]
    public async Task Patch_ObjectStoredOverTheLimit_MayShrinkButNotGrow()
    {
        // Written before the limit existed, into a store that takes it (the stores refuse over
        // 1.5 MiB by default, as etcd; here as etcd with --max-request-bytes raised): the API
        // must not leave it stuck.
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { MaxRequestBytes = 4 << 20 });
        await using var server = await TestApiServer.StartAsync(store);
        var legacy = JsonNode.Parse(Event("legacy", Padding))!.AsObject();
        legacy["metadata"]!["namespace"] = "default";
        await server.Store.CommitAsync(new Storage.StoreTxn(
            [Storage.StoreCondition.Absent("/registry/events/default/legacy")],
            [new Storage.StorePut("/registry/events/default/legacy", System.Text.Encoding.UTF8.GetBytes(legacy.ToJsonString()))]));

        await ExpectTooLarge(await server.PatchAsync(Events + "/legacy", """{"message":"PAD!"}""".Replace("PAD", Padding, StringComparison.Ordinal), "application/merge-patch+json"));
        var shrunk = await server.PatchAsync(Events + "/legacy", """{"message":"short"}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.OK, shrunk.StatusCode);
        Assert.Equal("short", (await Read(await server.Http.GetAsync(Events + "/legacy"))).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Create_StoreLimitUnderObjectLimit_IsTooLargeNamingTheStoreAndNothingStored()
    {
        // As etcd started with a smaller --max-request-bytes than the apiserver's object limit.
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { MaxRequestBytes = 64 << 10 });
        await using var server = await TestApiServer.StartAsync(store);

        var response = await server.PostJsonAsync(Events, Event("big", new string('x', 100_000)));

        var status = await Read(response);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("RequestEntityTooLarge", status.GetProperty("reason").GetString());
        Assert.StartsWith("Request entity too large: the store refused the write: ", Message(status), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync(Events + "/big")).StatusCode);
    }

    [Fact]
    public async Task Delete_PodOnANodeStoredAtTheLimit_IsMarkedForDeletion()
    {
        // Graceful deletion adds deletionTimestamp and deletionGracePeriodSeconds to the stored
        // object: a pod accepted at exactly the limit must still be deletable.
        var over = await Read(await _server.PostJsonAsync(Pods, PodOnNodeWithEnv("p", new string('x', (int)Limit))));
        var storedSize = long.Parse(System.Text.RegularExpressions.Regex.Match(Message(over), @"stored as (\d+) bytes").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await Created(_server, Pods, PodOnNodeWithEnv("p", new string('x', (int)(Limit - (storedSize - Limit)))));

        var deleted = await _server.Http.DeleteAsync(Pods + "/p");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var pod = await Read(await _server.Http.GetAsync(Pods + "/p"));
        Assert.True(pod.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _));
    }

    [Fact]
    public async Task Patch_TwentyDoublingCopies_IsInvalidBeforeBuildingTheObject()
    {
        var before = await Created(_server, Pods, PodWithAnnotation("p", new string('x', 1024)));
        var copies = new JsonArray();
        for (var i = 0; i < 20; i++)
        {
            copies.Add(new JsonObject { ["op"] = "copy", ["from"] = "/metadata/annotations", ["path"] = "/metadata/annotations/c" + i });
        }

        var response = await _server.PatchAsync(Pods + "/p", copies.ToJsonString(), "application/json-patch+json");

        var status = await Read(response);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("unable to complete the copy, the accumulated size increase of copy is", Message(status), StringComparison.Ordinal);
        Assert.Contains("exceeding the limit 3145728", Message(status), StringComparison.Ordinal);
        await AssertUnchanged(Pods + "/p", before);
    }

    [Fact]
    public async Task UpdateStatus_OverObjectLimit_IsTooLargeAndObjectUnchanged()
    {
        var before = await Created(_server, Pods, Pod("p"));
        var pod = JsonNode.Parse(before.GetRawText())!.AsObject();
        pod["status"] = new JsonObject { ["phase"] = "Running", ["message"] = Padding };

        await ExpectTooLarge(await _server.PutJsonAsync(Pods + "/p/status", pod.ToJsonString()));
        await ExpectTooLarge(await _server.PatchAsync(Pods + "/p/status", """{"status":{"message":"PAD"}}""".Replace("PAD", Padding, StringComparison.Ordinal), "application/merge-patch+json"));

        await AssertUnchanged(Pods + "/p", before);
    }

    [Fact]
    public async Task Create_JustUnderObjectLimitOnEtcd_IsStoredAndJustOverIsTooLarge()
    {
        // The limit leaves etcd's default 1.5 MiB request limit room for the rest of the transaction.
        using var etcd = EtcdServer.Launch();
        await using var store = new EtcdStore(etcd.ClientUrl);
        await using var server = await TestApiServer.StartAsync(store);
        var largest = Event("largest", new string('x', (int)Limit - 4096));

        var created = await server.PostJsonAsync(Events, largest);
        var stored = await store.GetAsync("/registry/events/default/largest");
        var over = await server.PostJsonAsync(Events, Event("over", new string('x', (int)Limit)));

        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        Assert.InRange(stored!.Value.Length, Limit - 4096, Limit);
        await ExpectTooLarge(over);
    }

    // Annotations are capped at 256 KiB by validation; an environment value is not.
    private static string PodOnNodeWithEnv(string name, string value)
    {
        var pod = JsonNode.Parse(Pod(name, node: "node-1"))!.AsObject();
        pod["spec"]!["containers"]![0]!["env"] = new JsonArray(new JsonObject { ["name"] = "PAD", ["value"] = value });
        return pod.ToJsonString();
    }

    private static string PodWithAnnotation(string name, string value)
    {
        var pod = JsonNode.Parse(Pod(name))!.AsObject();
        pod["metadata"]!["annotations"] = new JsonObject { ["pad"] = value };
        return pod.ToJsonString();
    }

    private static string Event(string name, string message) => new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = "default", ["name"] = "p" },
        ["reason"] = "Testing",
        ["message"] = message,
    }.ToJsonString();

    private static async Task<JsonElement> ExpectTooLarge(HttpResponseMessage response)
    {
        var status = await Read(response);
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"expected 413, got {(int)response.StatusCode}: {Message(status)}");
        Assert.Equal("RequestEntityTooLarge", status.GetProperty("reason").GetString());
        Assert.EndsWith("limit is 1507328", Message(status), StringComparison.Ordinal);
        return status;
    }

    private async Task AssertUnchanged(string path, JsonElement before)
    {
        var after = await Read(await _server.Http.GetAsync(path));
        Assert.Equal(RV(before), RV(after));
        Assert.Equal(before.GetRawText().Length, after.GetRawText().Length);
    }
}
