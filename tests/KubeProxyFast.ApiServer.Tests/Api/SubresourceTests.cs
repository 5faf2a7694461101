using System.Net;
using System.Text.Json.Nodes;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>pods/binding, status subresources (spec and status written apart) and replicationcontrollers/scale.</summary>
public abstract class SubresourceTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private const string Controller = """{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"rc"},"spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"rc"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""";

    [Fact]
    public async Task Bind_UnboundPod_SetsNodeAndScheduledCondition()
    {
        await Created(Server, Pods, Pod("p"));

        var response = await Server.PostJsonAsync(Pods + "/p/binding", """{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"node-1"}}""");
        var pod = await Read(await Server.Http.GetAsync(Pods + "/p"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("node-1", pod.GetProperty("spec").GetProperty("nodeName").GetString());
        var condition = pod.GetProperty("status").GetProperty("conditions")[0];
        Assert.Equal(("PodScheduled", "True"), (condition.GetProperty("type").GetString(), condition.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Bind_BoundPod_IsConflict()
    {
        await Created(Server, Pods, Pod("p", node: "node-1"));

        var response = await Server.PostJsonAsync("/api/v1/namespaces/default/bindings", """{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"node-2"}}""");
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("already assigned to node \"node-1\"", Message(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateStatus_ChangesStatusButNotSpecOrLabels()
    {
        var pod = JsonNode.Parse((await Created(Server, Pods, Pod("p"))).GetRawText())!;
        pod["status"]!["phase"] = "Running";
        pod["status"]!["podIP"] = "198.18.1.5";
        pod["spec"]!["containers"]![0]!["image"] = "changed";
        pod["metadata"]!["labels"]!["app"] = "changed";

        var response = await Server.PutJsonAsync(Pods + "/p/status", pod.ToJsonString());
        var stored = await Read(await Server.Http.GetAsync(Pods + "/p"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("web", stored.GetProperty("metadata").GetProperty("labels").GetProperty("app").GetString());
        Assert.Equal("Running", stored.GetProperty("status").GetProperty("phase").GetString());
        Assert.Equal("nginx", stored.GetProperty("spec").GetProperty("containers")[0].GetProperty("image").GetString());
    }

    [Fact]
    public async Task Update_MainResource_KeepsStatus()
    {
        var pod = JsonNode.Parse((await Created(Server, Pods, Pod("p"))).GetRawText())!;
        pod["status"]!["phase"] = "Succeeded";
        pod["metadata"]!["labels"]!["v"] = "2";

        await Server.PutJsonAsync(Pods + "/p", pod.ToJsonString());
        var stored = await Read(await Server.Http.GetAsync(Pods + "/p"));

        Assert.Equal("Pending", stored.GetProperty("status").GetProperty("phase").GetString());
        Assert.Equal("2", stored.GetProperty("metadata").GetProperty("labels").GetProperty("v").GetString());
    }

    [Fact]
    public async Task PatchStatus_MergePatch_SetsPhase()
    {
        await Created(Server, Pods, Pod("p"));

        var response = await Server.PatchAsync(Pods + "/p/status", """{"status":{"phase":"Running"}}""", "application/merge-patch+json");

        Assert.Equal("Running", (await Read(response)).GetProperty("status").GetProperty("phase").GetString());
    }

    [Fact]
    public async Task Scale_GetPutPatch_ReadAndWriteReplicas()
    {
        await Created(Server, "/api/v1/namespaces/default/replicationcontrollers", Controller);
        const string scalePath = "/api/v1/namespaces/default/replicationcontrollers/rc/scale";

        var scale = await Read(await Server.Http.GetAsync(scalePath));
        var put = await Server.PutJsonAsync(scalePath, """{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"rc"},"spec":{"replicas":4}}""");
        var patched = await Read(await Server.PatchAsync(scalePath, """{"spec":{"replicas":7}}""", "application/merge-patch+json"));
        var rc = await Read(await Server.Http.GetAsync("/api/v1/namespaces/default/replicationcontrollers/rc"));

        Assert.Equal(("Scale", "autoscaling/v1"), (scale.GetProperty("kind").GetString(), scale.GetProperty("apiVersion").GetString()));
        Assert.Equal(2, scale.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.Equal("app=rc", scale.GetProperty("status").GetProperty("selector").GetString());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(7, patched.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.Equal(7, rc.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.Equal(3, rc.GetProperty("metadata").GetProperty("generation").GetInt64());
    }

    [Fact]
    public async Task Scale_Negative_IsInvalid()
    {
        await Created(Server, "/api/v1/namespaces/default/replicationcontrollers", Controller);

        var response = await Server.PutJsonAsync("/api/v1/namespaces/default/replicationcontrollers/rc/scale",
            """{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"rc"},"spec":{"replicas":-1}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Create_Controller_DefaultsSelectorAndLabelsFromTemplate()
    {
        var rc = await Created(Server, "/api/v1/namespaces/default/replicationcontrollers", Controller);

        Assert.Equal("rc", rc.GetProperty("spec").GetProperty("selector").GetProperty("app").GetString());
        Assert.Equal("rc", rc.GetProperty("metadata").GetProperty("labels").GetProperty("app").GetString());
        Assert.Equal(1, rc.GetProperty("metadata").GetProperty("generation").GetInt64());
    }

    [Fact]
    public async Task Create_GenerateName_GetsUniqueNames()
    {
        var body = """{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"worker-"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""";

        var names = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            (await Created(Server, Pods, body)).GetProperty("metadata").GetProperty("name").GetString()!));

        Assert.Equal(8, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^worker-[bcdfghjklmnpqrstvwxz2456789]{5}$", n));
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class SubresourceOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : SubresourceTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class SubresourceOnEtcdTests(EtcdStoreBackend backend) : SubresourceTests(backend), IClassFixture<EtcdStoreBackend>;
