using System.Net;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>Graceful pod deletion, the propagation policy of replication controllers, and namespace deletion.</summary>
public abstract class DeletionTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    [Fact]
    public async Task Delete_BoundPod_MarksItTerminatingWithGrace()
    {
        await Created(Server, Pods, Pod("p", node: "n1"));

        var response = await Server.Http.DeleteAsync(Pods + "/p");
        var pod = await Read(await Server.Http.GetAsync(Pods + "/p"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(30, pod.GetProperty("metadata").GetProperty("deletionGracePeriodSeconds").GetInt64());
        Assert.True(pod.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _));
    }

    [Fact]
    public async Task Delete_BoundPodWithGraceZero_RemovesIt()
    {
        await Created(Server, Pods, Pod("p", node: "n1"));

        await Server.Http.DeleteAsync(Pods + "/p");
        var final = await Server.Http.DeleteAsync(Pods + "/p?gracePeriodSeconds=0");

        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync(Pods + "/p")).StatusCode);
    }

    [Fact]
    public async Task Delete_WithStaleUidPrecondition_IsConflict()
    {
        await Created(Server, Pods, Pod("p"));
        var request = new HttpRequestMessage(HttpMethod.Delete, Pods + "/p")
        {
            Content = new StringContent("""{"preconditions":{"uid":"not-the-uid"}}""", System.Text.Encoding.UTF8, "application/json"),
        };

        var response = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Server.Http.GetAsync(Pods + "/p")).StatusCode);
    }

    [Theory]
    [InlineData(null, """{"preconditions":{"uid":"not-the-uid"}}""", "Precondition failed: UID in precondition: not-the-uid")]
    [InlineData("n1", """{"preconditions":{"uid":"not-the-uid"}}""", "Precondition failed: UID in precondition: not-the-uid")]
    [InlineData(null, """{"preconditions":{"resourceVersion":"abc"}}""", "Precondition failed: ResourceVersion in precondition: abc")]
    [InlineData("n1", """{"preconditions":{"resourceVersion":"abc"}}""", "Precondition failed: ResourceVersion in precondition: abc")]
    public async Task Delete_PreconditionNotMet_IsConflictWhetherGracefulOrNot(string? node, string options, string message)
    {
        // A pod on a node is deleted gracefully (an update), one on none at once: the same answer.
        await Created(Server, Pods, Pod("p", node: node));
        var request = new HttpRequestMessage(HttpMethod.Delete, Pods + "/p")
        {
            Content = new StringContent(options, System.Text.Encoding.UTF8, "application/json"),
        };

        var response = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains(message, Message(await Read(response)), StringComparison.Ordinal);
        var pod = await Read(await Server.Http.GetAsync(Pods + "/p"));
        Assert.False(pod.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _));
    }

    [Theory]
    [InlineData("Background", null)]
    [InlineData("Foreground", "foregroundDeletion")]
    [InlineData("Orphan", "orphan")]
    [InlineData(null, "orphan")]
    public async Task Delete_Controller_LeavesItsPodsToTheGarbageCollector(string? policy, string? finalizer)
    {
        // The apiserver only records the policy; the garbage collector acts on it (its own tests).
        var rc = await Created(Server, "/api/v1/namespaces/default/replicationcontrollers",
            """{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"rc"},"spec":{"replicas":1,"template":{"metadata":{"labels":{"app":"rc"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""");
        var uid = rc.GetProperty("metadata").GetProperty("uid").GetString();
        var owned = $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"rc-abcde","labels":{"app":"rc"},"ownerReferences":[{"apiVersion":"v1","kind":"ReplicationController","name":"rc","uid":"{{{uid}}}","controller":true}]},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""";
        await Created(Server, Pods, owned);

        var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/namespaces/default/replicationcontrollers/rc")
        {
            Content = policy is null ? null : new StringContent($$$"""{"propagationPolicy":"{{{policy}}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        var response = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await Server.Http.GetAsync("/api/v1/namespaces/default/replicationcontrollers/rc");
        if (finalizer is null)
        {
            Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        }
        else
        {
            var meta = (await Read(after)).GetProperty("metadata");
            Assert.Equal([finalizer], meta.GetProperty("finalizers").EnumerateArray().Select(f => f.GetString()));
            Assert.True(meta.TryGetProperty("deletionTimestamp", out _));
            Assert.Equal(0, meta.GetProperty("deletionGracePeriodSeconds").GetInt64());
        }

        var pod = await Read(await Server.Http.GetAsync(Pods + "/rc-abcde"));
        Assert.Equal(uid, pod.GetProperty("metadata").GetProperty("ownerReferences")[0].GetProperty("uid").GetString());
    }

    [Fact]
    public async Task Delete_Namespace_RemovesContentThenItself()
    {
        await Created(Server, "/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"gone"}}""");
        await Created(Server, "/api/v1/namespaces/gone/pods", Pod("p"));
        await Created(Server, "/api/v1/namespaces/gone/services", Service("s", "198.19.8.8"));

        var terminating = await Read(await Server.Http.DeleteAsync("/api/v1/namespaces/gone"));
        var refused = await Server.PostJsonAsync("/api/v1/namespaces/gone/pods", Pod("late"));

        Assert.Equal("Terminating", terminating.GetProperty("status").GetProperty("phase").GetString());
        Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"create in a terminating namespace answered {refused.StatusCode}");
        await UntilGoneAsync("/api/v1/namespaces/gone");
        Assert.Equal(0, (await Read(await Server.Http.GetAsync("/api/v1/pods?fieldSelector=metadata.namespace%3Dgone"))).GetProperty("items").GetArrayLength());
        // The service's cluster IP went with it.
        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("/api/v1/namespaces/default/services", Service("s", "198.19.8.8"))).StatusCode);
    }

    private async Task UntilGoneAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await Server.Http.GetAsync(path)).StatusCode != HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} still exists after 10 s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Delete_DefaultNamespace_IsForbidden()
    {
        var response = await Server.Http.DeleteAsync("/api/v1/namespaces/default");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("namespaces \"default\" is forbidden: this namespace may not be deleted", Message(await Read(response)));
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class DeletionOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : DeletionTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class DeletionOnEtcdTests(EtcdStoreBackend backend) : DeletionTests(backend), IClassFixture<EtcdStoreBackend>;
