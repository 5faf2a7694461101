using System.Net;
using System.Text;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>deletecollection: DELETE on a namespace's collection with selectors and DeleteOptions, answered with the list of what was deleted.</summary>
public abstract class DeleteCollectionTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    [Fact]
    public async Task DeleteCollection_LabelSelector_DeletesOnlyMatchingAndAnswersThem()
    {
        await Created(Server, Pods, Pod("a1", "a"));
        await Created(Server, Pods, Pod("a2", "a"));
        await Created(Server, Pods, Pod("b1", "b"));

        var response = await Server.Http.DeleteAsync(Pods + "?labelSelector=app%3Da");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var deleted = System.Text.Json.JsonDocument.Parse(body).RootElement;
        Assert.Equal(("PodList", "v1"), (deleted.GetProperty("kind").GetString(), deleted.GetProperty("apiVersion").GetString()));
        Assert.Equal(["a1", "a2"], Names(deleted));
        Assert.EndsWith("]}\n", body, StringComparison.Ordinal);
        Assert.Equal(["b1"], Names(await Read(await Server.Http.GetAsync(Pods))));
    }

    [Fact]
    public async Task DeleteCollection_FieldSelector_DeletesTheNamedOne()
    {
        await Created(Server, Pods, Pod("p1"));
        await Created(Server, Pods, Pod("p10"));

        var deleted = await Read(await Server.Http.DeleteAsync(Pods + "?fieldSelector=metadata.name%3Dp1"));

        Assert.Equal(["p1"], Names(deleted));
        Assert.Equal(["p10"], Names(await Read(await Server.Http.GetAsync(Pods))));
    }

    [Fact]
    public async Task DeleteCollection_PodsOnANode_AreMarkedGracefullyAsSingleDeletes()
    {
        await Created(Server, Pods, Pod("p1", node: "n1"));
        await Created(Server, Pods, Pod("p2"));
        using var request = new HttpRequestMessage(HttpMethod.Delete, Pods)
        {
            Content = new StringContent("""{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":7}""", Encoding.UTF8, "application/json"),
        };

        Assert.Equal(HttpStatusCode.OK, (await Server.Http.SendAsync(request)).StatusCode);

        var remaining = await Read(await Server.Http.GetAsync(Pods));
        Assert.Equal(["p1"], Names(remaining));
        Assert.Equal(7, remaining.GetProperty("items")[0].GetProperty("metadata").GetProperty("deletionGracePeriodSeconds").GetInt64());
    }

    [Fact]
    public async Task DeleteCollection_MoreThanAPage_DeletesEveryObject()
    {
        const int count = Handlers.DeleteCollectionHandler.PageSize + 20;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await Created(Server, "/apis/coordination.k8s.io/v1/namespaces/default/leases", Lease($"l{i:D4}")));

        var deleted = await Read(await Server.Http.DeleteAsync("/apis/coordination.k8s.io/v1/namespaces/default/leases"));

        Assert.Equal(count, deleted.GetProperty("items").GetArrayLength());
        Assert.Equal(count, Names(deleted).Distinct().Count());
        Assert.Empty(Names(await Read(await Server.Http.GetAsync("/apis/coordination.k8s.io/v1/namespaces/default/leases"))));
    }

    [Fact]
    public async Task DeleteCollection_WithLimit_DeletesOnePageAndAnswersItsContinue()
    {
        await Created(Server, Pods, Pod("p1"));
        await Created(Server, Pods, Pod("p2"));

        var deleted = await Read(await Server.Http.DeleteAsync(Pods + "?limit=1"));

        Assert.Equal(["p1"], Names(deleted));
        Assert.False(string.IsNullOrEmpty(deleted.GetProperty("metadata").GetProperty("continue").GetString()));
        Assert.Equal(["p2"], Names(await Read(await Server.Http.GetAsync(Pods))));
    }

    [Fact]
    public async Task DeleteCollection_WithContinue_DeletesTheNextPageNotTheFirstAgain()
    {
        await Created(Server, Pods, Pod("p1"));
        await Created(Server, Pods, Pod("p2"));
        var first = await Read(await Server.Http.DeleteAsync(Pods + "?limit=1"));
        var token = first.GetProperty("metadata").GetProperty("continue").GetString()!;
        await Created(Server, Pods, Pod("p0"));

        var next = await Read(await Server.Http.DeleteAsync(Pods + "?limit=1&continue=" + Uri.EscapeDataString(token)));

        Assert.Equal(["p2"], Names(next));
        Assert.Equal(["p0"], Names(await Read(await Server.Http.GetAsync(Pods))));
    }

    [Fact]
    public async Task DeleteCollection_PreconditionOfAnotherObject_IsConflict()
    {
        await Created(Server, Pods, Pod("p1"));
        using var request = new HttpRequestMessage(HttpMethod.Delete, Pods)
        {
            Content = new StringContent("""{"preconditions":{"uid":"not-the-uid"}}""", Encoding.UTF8, "application/json"),
        };

        var response = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(["p1"], Names(await Read(await Server.Http.GetAsync(Pods))));
    }

    [Theory]
    [InlineData("/api/v1/namespaces")]
    [InlineData("/api/v1/pods")]
    public async Task DeleteCollection_NamespacesOrAcrossNamespaces_IsMethodNotAllowed(string path)
    {
        var response = await Server.Http.DeleteAsync(path);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Discovery_DeleteCollection_ListedForPodsNotNamespaces()
    {
        var resources = (await Read(await Server.Http.GetAsync("/api/v1"))).GetProperty("resources").EnumerateArray()
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("verbs").EnumerateArray().Select(v => v.GetString()).ToArray());

        Assert.Contains("deletecollection", resources["pods"]);
        Assert.Contains("deletecollection", resources["services"]);
        Assert.DoesNotContain("deletecollection", resources["namespaces"]);
    }

    [Fact]
    public async Task KubectlDelete_SelectorAndAll_DeleteThePods()
    {
        await Created(Server, Pods, Pod("a1", "a"));
        await Created(Server, Pods, Pod("b1", "b"));
        await Created(Server, Pods, Pod("b2", "b"));

        var bySelector = Server.Kubectl("delete", "pods", "-l", "app=a");
        Assert.True(bySelector.ExitCode == 0, bySelector.Stderr);
        Assert.Equal(["b1", "b2"], Names(await Read(await Server.Http.GetAsync(Pods))));

        var all = Server.Kubectl("delete", "pods", "--all");
        Assert.True(all.ExitCode == 0, all.Stderr);
        Assert.Empty(Names(await Read(await Server.Http.GetAsync(Pods))));
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class DeleteCollectionOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : DeleteCollectionTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class DeleteCollectionOnEtcdTests(EtcdStoreBackend backend) : DeleteCollectionTests(backend), IClassFixture<EtcdStoreBackend>;
