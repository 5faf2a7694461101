using System.Net;
using System.Text.Json;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>
/// <c>dryRun=All</c> on every write verb: validated, defaulted and answered as the write would be,
/// with nothing stored — the store's revision does not move, so no watcher sees an event.
/// </summary>
public sealed class DryRunTests(ClassApiServer fixture) : IClassFixture<ClassApiServer>
{
    private TestApiServer Server => fixture.Server;

    private async Task<long> StoreRevisionAsync() =>
        long.Parse((await Read(await Server.Http.GetAsync("/api/v1/namespaces"))).GetProperty("metadata").GetProperty("resourceVersion").GetString()!,
            System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Create_DryRun_AnswersDefaultedObjectAndStoresNothing()
    {
        var ns = await fixture.NewNamespaceAsync("dry-create");
        var before = await StoreRevisionAsync();

        var pod = await Server.PostJsonAsync($"/api/v1/namespaces/{ns}/pods?dryRun=All", Pod("p"));
        var service = await Server.PostJsonAsync($"/api/v1/namespaces/{ns}/services?dryRun=All", Service("s", type: "NodePort"));
        var podBody = await Read(pod);
        var serviceBody = await Read(service);
        var after = await StoreRevisionAsync();
        var real = await Created(Server, $"/api/v1/namespaces/{ns}/services", Service("s", type: "NodePort"));

        Assert.Equal(HttpStatusCode.Created, pod.StatusCode);
        Assert.Equal("Always", podBody.GetProperty("spec").GetProperty("restartPolicy").GetString());
        Assert.Equal("Pending", podBody.GetProperty("status").GetProperty("phase").GetString());
        Assert.NotEmpty(podBody.GetProperty("metadata").GetProperty("uid").GetString()!);
        Assert.False(podBody.GetProperty("metadata").TryGetProperty("resourceVersion", out _));
        Assert.Equal(HttpStatusCode.Created, service.StatusCode);
        Assert.StartsWith("198.19.", serviceBody.GetProperty("spec").GetProperty("clusterIP").GetString(), StringComparison.Ordinal);
        Assert.InRange(serviceBody.GetProperty("spec").GetProperty("ports")[0].GetProperty("nodePort").GetInt32(), 30000, 32767);
        Assert.Equal(before, after);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync($"/api/v1/namespaces/{ns}/pods/p")).StatusCode);
        Assert.StartsWith("198.19.", real.GetProperty("spec").GetProperty("clusterIP").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdatePatchDelete_DryRun_AnswerTheResultAndChangeNothing()
    {
        var ns = await fixture.NewNamespaceAsync("dry-write");
        var pods = $"/api/v1/namespaces/{ns}/pods";
        var created = await Created(Server, pods, Pod("p"));
        var version = created.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        var before = await StoreRevisionAsync();

        var replaced = await Read(await Server.PutJsonAsync(pods + "/p?dryRun=All", Pod("p", app: "put")));
        var patched = await Read(await Server.PatchAsync(pods + "/p?dryRun=All", """{"metadata":{"labels":{"app":"patched"}}}""", "application/merge-patch+json"));
        var deleted = await Server.Http.DeleteAsync(pods + "/p?dryRun=All");
        var deletedBody = await Read(deleted);
        var after = await StoreRevisionAsync();
        var stored = await Read(await Server.Http.GetAsync(pods + "/p"));

        Assert.Equal("put", replaced.GetProperty("metadata").GetProperty("labels").GetProperty("app").GetString());
        Assert.Equal(version, replaced.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        Assert.Equal("patched", patched.GetProperty("metadata").GetProperty("labels").GetProperty("app").GetString());
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("p", deletedBody.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal(before, after);
        Assert.Equal("web", stored.GetProperty("metadata").GetProperty("labels").GetProperty("app").GetString());
        Assert.Equal(version, stored.GetProperty("metadata").GetProperty("resourceVersion").GetString());
    }

    [Fact]
    public async Task Delete_DryRunNamespaceAndBoundPod_StayAsTheyWere()
    {
        var ns = await fixture.NewNamespaceAsync("dry-delete");
        await Created(Server, $"/api/v1/namespaces/{ns}/pods", Pod("bound", node: "node-a"));
        var before = await StoreRevisionAsync();

        var pod = await Read(await Server.Http.DeleteAsync($"/api/v1/namespaces/{ns}/pods/bound?dryRun=All"));
        var terminating = await Read(await Server.Http.DeleteAsync($"/api/v1/namespaces/{ns}?dryRun=All"));
        using var bodyRequest = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/pods/bound")
        {
            Content = new StringContent("""{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["All"],"gracePeriodSeconds":0}""", System.Text.Encoding.UTF8, "application/json"),
        };
        var byBody = await Server.Http.SendAsync(bodyRequest);
        var after = await StoreRevisionAsync();
        var stored = await Read(await Server.Http.GetAsync($"/api/v1/namespaces/{ns}/pods/bound"));
        var namespaceStored = await Read(await Server.Http.GetAsync($"/api/v1/namespaces/{ns}"));

        Assert.True(pod.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _));
        Assert.Equal("Terminating", terminating.GetProperty("status").GetProperty("phase").GetString());
        Assert.Equal(HttpStatusCode.OK, byBody.StatusCode);
        Assert.Equal(before, after);
        Assert.False(stored.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _));
        Assert.Equal("Active", namespaceStored.GetProperty("status").GetProperty("phase").GetString());
    }

    [Fact]
    public async Task DryRun_InvalidObjectOrValue_RefusedAsTheWriteWouldBe()
    {
        var ns = await fixture.NewNamespaceAsync("dry-invalid");
        var services = $"/api/v1/namespaces/{ns}/services";
        await Created(Server, services, Service("taken"));

        var invalid = await Server.PostJsonAsync(services + "?dryRun=All", Service("bad").Replace("\"port\":80", "\"port\":70000", StringComparison.Ordinal));
        var exists = await Server.PostJsonAsync(services + "?dryRun=All", Service("taken"));
        var unknown = await Server.PostJsonAsync(services + "?dryRun=Server", Service("x"));
        var deleteUnknown = await Server.Http.DeleteAsync(services + "/taken?dryRun=All&dryRun=Some");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("spec.ports[0].port: Invalid value: 70000", Message(await Read(invalid)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, exists.StatusCode);
        Assert.Equal("services \"taken\" already exists", Message(await Read(exists)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal("CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Server\"}: supported values: \"All\"", Message(await Read(unknown)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, deleteUnknown.StatusCode);
        Assert.Equal("DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"All\", \"Some\"}: supported values: \"All\"",
            Message(await Read(deleteUnknown)));
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync(services + "/x")).StatusCode);
    }

    private static string Message(JsonElement status) => status.GetProperty("message").GetString()!;
}
