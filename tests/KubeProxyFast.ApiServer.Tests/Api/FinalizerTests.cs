using System.Net;
using System.Text.Json;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>
/// Finalizers as Kubernetes' registry honours them: a delete marks an object that has some, the
/// update that removes the last one deletes it, none may be added once deleting; with graceful
/// pods and with namespace deletion.
/// </summary>
public abstract class FinalizerTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
    private const string Pods = "/api/v1/namespaces/default/pods";
    private const string MergePatch = "application/merge-patch+json";

    [Fact]
    public async Task Delete_ObjectWithFinalizer_MarksItUntilAnUpdateRemovesTheLast()
    {
        await Created(Server, ConfigMaps, ConfigMap("held", "default", "example.com/a", "example.com/b"));

        var deleted = await Server.Http.DeleteAsync(ConfigMaps + "/held");
        var marked = await Read(await Server.Http.GetAsync(ConfigMaps + "/held"));
        var oneLeft = await Server.PatchAsync(ConfigMaps + "/held", """{"metadata":{"finalizers":["example.com/b"]}}""", MergePatch);
        var stillThere = await Server.Http.GetAsync(ConfigMaps + "/held");
        var last = await Server.PatchAsync(ConfigMaps + "/held", """{"metadata":{"finalizers":null}}""", MergePatch);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True((await Read(deleted)).GetProperty("metadata").TryGetProperty("deletionTimestamp", out _));
        Assert.Equal(0, marked.GetProperty("metadata").GetProperty("deletionGracePeriodSeconds").GetInt64());
        Assert.Equal(HttpStatusCode.OK, oneLeft.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync(ConfigMaps + "/held")).StatusCode);
    }

    [Fact]
    public async Task Update_AddingFinalizerWhileDeleting_IsForbidden()
    {
        await Created(Server, ConfigMaps, ConfigMap("held", "default", "example.com/a"));
        await Server.Http.DeleteAsync(ConfigMaps + "/held");

        var response = await Server.PatchAsync(ConfigMaps + "/held", """{"metadata":{"finalizers":["example.com/a","example.com/b"]}}""", MergePatch);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"example.com/b\"}",
            Message(await Read(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_BothGarbageCollectionFinalizers_IsInvalid()
    {
        var response = await Server.PostJsonAsync(ConfigMaps, ConfigMap("both", "default", "orphan", "foregroundDeletion"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("finalizer orphan and foregroundDeletion cannot be both set", Message(await Read(response)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Delete_BoundPodWithFinalizer_GoesWhenBothGraceAndFinalizersAllow(bool finalizerFirst)
    {
        await Created(Server, Pods, PodWithFinalizer("p", "example.com/hold"));
        var graceful = await Read(await Server.Http.DeleteAsync(Pods + "/p"));
        Assert.Equal(30, graceful.GetProperty("metadata").GetProperty("deletionGracePeriodSeconds").GetInt64());

        if (finalizerFirst)
        {
            await Server.PatchAsync(Pods + "/p", """{"metadata":{"finalizers":null}}""", MergePatch);
            // The kubelet has not finished: the grace period still holds it.
            Assert.Equal(HttpStatusCode.OK, (await Server.Http.GetAsync(Pods + "/p")).StatusCode);
            await Server.Http.DeleteAsync(Pods + "/p?gracePeriodSeconds=0");
        }
        else
        {
            var kubeletDone = await Read(await Server.Http.DeleteAsync(Pods + "/p?gracePeriodSeconds=0"));
            // The finalizer still holds it, now with grace 0.
            Assert.Equal(0, kubeletDone.GetProperty("metadata").GetProperty("deletionGracePeriodSeconds").GetInt64());
            Assert.Equal(HttpStatusCode.OK, (await Server.Http.GetAsync(Pods + "/p")).StatusCode);
            await Server.PatchAsync(Pods + "/p", """{"metadata":{"finalizers":null}}""", MergePatch);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync(Pods + "/p")).StatusCode);
    }

    [Fact]
    public async Task Delete_DryRunOfObjectWithFinalizer_ChangesNothing()
    {
        await Created(Server, ConfigMaps, ConfigMap("held", "default", "example.com/a"));

        var answer = await Read(await Server.Http.DeleteAsync(ConfigMaps + "/held?dryRun=All"));
        var stored = await Read(await Server.Http.GetAsync(ConfigMaps + "/held"));

        Assert.True(answer.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _));
        Assert.False(stored.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _));
    }

    [Fact]
    public async Task Delete_OrphanDependentsFalse_OverridesTheDefaultOrphanOfControllers()
    {
        await Created(Server, "/api/v1/namespaces/default/replicationcontrollers", Controller("rc"));

        var response = await Server.Http.DeleteAsync("/api/v1/namespaces/default/replicationcontrollers/rc?orphanDependents=false");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync("/api/v1/namespaces/default/replicationcontrollers/rc")).StatusCode);
    }

    [Fact]
    public async Task Delete_BackgroundAfterOrphan_DropsTheGarbageCollectorsFinalizer()
    {
        // As Kubernetes: a non-graceful object being deleted may still change its propagation.
        await Created(Server, "/api/v1/namespaces/default/replicationcontrollers", Controller("rc"));
        await Server.Http.DeleteAsync("/api/v1/namespaces/default/replicationcontrollers/rc?propagationPolicy=Orphan");

        await Server.Http.DeleteAsync("/api/v1/namespaces/default/replicationcontrollers/rc?propagationPolicy=Background");

        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync("/api/v1/namespaces/default/replicationcontrollers/rc")).StatusCode);
    }

    [Fact]
    public async Task Delete_NamespaceWithFinalizedContent_WaitsOnlyForForeignFinalizers()
    {
        await Created(Server, "/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"held"}}""");
        await Created(Server, "/api/v1/namespaces/held/configmaps", ConfigMap("cm", "held", "example.com/hold"));
        await Created(Server, "/api/v1/namespaces/held/replicationcontrollers", Controller("rc"));
        // Orphaning with no garbage collector running: the namespace's Background delete drops that finalizer.
        await Server.Http.DeleteAsync("/api/v1/namespaces/held/replicationcontrollers/rc?propagationPolicy=Orphan");

        await Server.Http.DeleteAsync("/api/v1/namespaces/held");
        await Eventually.True(async () => (await Server.Http.GetAsync("/api/v1/namespaces/held/replicationcontrollers/rc")).StatusCode == HttpStatusCode.NotFound,
            "the orphaned controller to go with its namespace");
        await Eventually.True(async () => (await Read(await Server.Http.GetAsync("/api/v1/namespaces/held/configmaps/cm")))
            .GetProperty("metadata").TryGetProperty("deletionTimestamp", out _), "the held config map to be marked");
        Assert.Equal(HttpStatusCode.OK, (await Server.Http.GetAsync("/api/v1/namespaces/held")).StatusCode);

        await Server.PatchAsync("/api/v1/namespaces/held/configmaps/cm", """{"metadata":{"finalizers":null}}""", MergePatch);

        await Eventually.True(async () => (await Server.Http.GetAsync("/api/v1/namespaces/held")).StatusCode == HttpStatusCode.NotFound,
            "the namespace to go once its content is", TimeSpan.FromSeconds(10));
    }

    private static string ConfigMap(string name, string ns, params string[] finalizers) =>
        JsonSerializer.Serialize(new
        {
            apiVersion = "v1",
            kind = "ConfigMap",
            metadata = new { name, @namespace = ns, finalizers },
            data = new Dictionary<string, string> { ["k"] = "v" },
        });

    private static string PodWithFinalizer(string name, string finalizer) =>
        $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","finalizers":["{{{finalizer}}}"]},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"nginx"}]}}""";

    private static string Controller(string name) =>
        """{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":""" + "\"" + name + "\"" +
        """},"spec":{"replicas":1,"template":{"metadata":{"labels":{"app":""" + "\"" + name + "\"" +
        """}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""";
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class FinalizerOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : FinalizerTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class FinalizerOnEtcdTests(EtcdStoreBackend backend) : FinalizerTests(backend), IClassFixture<EtcdStoreBackend>;
