using System.Net;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>Graceful pod deletion, propagation for replication controllers, and namespace deletion.</summary>
public sealed class DeletionTests : IAsyncLifetime
{
    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private const string Pods = "/api/v1/namespaces/default/pods";

    [Fact]
    public async Task Delete_BoundPod_MarksItTerminatingWithGrace()
    {
        await Created(_server, Pods, Pod("p", node: "n1"));

        var response = await _server.Http.DeleteAsync(Pods + "/p");
        var pod = await Read(await _server.Http.GetAsync(Pods + "/p"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(30, pod.GetProperty("metadata").GetProperty("deletionGracePeriodSeconds").GetInt64());
        Assert.True(pod.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _));
    }

    [Fact]
    public async Task Delete_BoundPodWithGraceZero_RemovesIt()
    {
        await Created(_server, Pods, Pod("p", node: "n1"));

        await _server.Http.DeleteAsync(Pods + "/p");
        var final = await _server.Http.DeleteAsync(Pods + "/p?gracePeriodSeconds=0");

        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync(Pods + "/p")).StatusCode);
    }

    [Fact]
    public async Task Delete_WithStaleUidPrecondition_IsConflict()
    {
        await Created(_server, Pods, Pod("p"));
        var request = new HttpRequestMessage(HttpMethod.Delete, Pods + "/p")
        {
            Content = new StringContent("""{"preconditions":{"uid":"not-the-uid"}}""", System.Text.Encoding.UTF8, "application/json"),
        };

        var response = await _server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync(Pods + "/p")).StatusCode);
    }

    [Theory]
    [InlineData("Background", false)]
    [InlineData("Foreground", false)]
    [InlineData("Orphan", true)]
    public async Task Delete_Controller_PropagatesToOwnedPods(string policy, bool podSurvives)
    {
        var rc = await Created(_server, "/api/v1/namespaces/default/replicationcontrollers",
            """{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"rc"},"spec":{"replicas":1,"template":{"metadata":{"labels":{"app":"rc"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""");
        var uid = rc.GetProperty("metadata").GetProperty("uid").GetString();
        var owned = $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"rc-abcde","labels":{"app":"rc"},"ownerReferences":[{"apiVersion":"v1","kind":"ReplicationController","name":"rc","uid":"{{{uid}}}","controller":true}]},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""";
        await Created(_server, Pods, owned);
        await Created(_server, Pods, Pod("bystander", "rc"));

        var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/namespaces/default/replicationcontrollers/rc")
        {
            Content = new StringContent($$$"""{"propagationPolicy":"{{{policy}}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.SendAsync(request)).StatusCode);

        var pod = await _server.Http.GetAsync(Pods + "/rc-abcde");
        Assert.Equal(podSurvives ? HttpStatusCode.OK : HttpStatusCode.NotFound, pod.StatusCode);
        if (podSurvives)
        {
            Assert.False((await Read(pod)).GetProperty("metadata").TryGetProperty("ownerReferences", out _));
        }

        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync(Pods + "/bystander")).StatusCode);
    }

    [Fact]
    public async Task Delete_Namespace_RemovesContentThenItself()
    {
        await Created(_server, "/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"gone"}}""");
        await Created(_server, "/api/v1/namespaces/gone/pods", Pod("p"));
        await Created(_server, "/api/v1/namespaces/gone/services", Service("s", "198.19.8.8"));

        var terminating = await Read(await _server.Http.DeleteAsync("/api/v1/namespaces/gone"));
        var refused = await _server.PostJsonAsync("/api/v1/namespaces/gone/pods", Pod("late"));

        Assert.Equal("Terminating", terminating.GetProperty("status").GetProperty("phase").GetString());
        Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"create in a terminating namespace answered {refused.StatusCode}");
        await UntilGoneAsync("/api/v1/namespaces/gone");
        Assert.Equal(0, (await Read(await _server.Http.GetAsync("/api/v1/pods?fieldSelector=metadata.namespace%3Dgone"))).GetProperty("items").GetArrayLength());
        // The service's cluster IP went with it.
        Assert.Equal(HttpStatusCode.Created, (await _server.PostJsonAsync("/api/v1/namespaces/default/services", Service("s", "198.19.8.8"))).StatusCode);
    }

    private async Task UntilGoneAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await _server.Http.GetAsync(path)).StatusCode != HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} still exists after 10 s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Delete_DefaultNamespace_IsForbidden()
    {
        var response = await _server.Http.DeleteAsync("/api/v1/namespaces/default");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("namespaces \"default\" is forbidden: this namespace may not be deleted", Message(await Read(response)));
    }
}
