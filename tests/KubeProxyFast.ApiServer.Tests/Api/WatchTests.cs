using System.Globalization;
using System.Net;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>WATCH: events in order over a chunked stream, initial state, selectors, bookmarks, timeouts and 410 Gone.</summary>
public abstract class WatchTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    protected override ApiServerOptions Options { get; } = new() { ServiceClusterIpRange = TestApiServer.ServiceClusterIpRange, BookmarkInterval = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task Watch_FromListRevision_SeesAddModifyDeleteInOrder()
    {
        var list = await Read(await Server.Http.GetAsync("/api/v1/namespaces/default/pods"));
        using var watch = await WatchReader.OpenAsync(Server.Http, "/api/v1/namespaces/default/pods?watch=true&resourceVersion=" + RV(list));

        var created = await Created(Server, "/api/v1/namespaces/default/pods", Pod("w1"));
        var patched = await Server.PatchAsync("/api/v1/namespaces/default/pods/w1", """{"metadata":{"labels":{"x":"y"}}}""", "application/merge-patch+json");
        var modified = await Read(patched);
        await Server.Http.DeleteAsync("/api/v1/namespaces/default/pods/w1");

        var added = await watch.NextAsync();
        var changed = await watch.NextAsync();
        var deleted = await watch.NextAsync();
        Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
        Assert.Equal(("ADDED", RV(created)), (added.Type, RV(added.Object)));
        Assert.Equal(("MODIFIED", RV(modified)), (changed.Type, RV(changed.Object)));
        Assert.Equal("y", changed.Object.GetProperty("metadata").GetProperty("labels").GetProperty("x").GetString());
        Assert.Equal("DELETED", deleted.Type);
        Assert.True(long.Parse(RV(deleted.Object), CultureInfo.InvariantCulture) > long.Parse(RV(modified), CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("True")]
    [InlineData("1")]
    [InlineData("t")]
    [InlineData("TRUE")]
    [InlineData("yes")]
    [InlineData("")]
    public async Task Watch_WatchFlagKubernetesReadsAsTrue_IsAWatch(string flag)
    {
        // The Python client sends watch=True; kube-apiserver reads every value but 0 and false (any case) as true.
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("p1"));
        using var watch = await WatchReader.OpenAsync(Server.Http, "/api/v1/namespaces/default/pods?watch=" + flag);

        var first = await watch.NextAsync();

        Assert.Equal(("ADDED", "p1"), (first.Type, first.Object.GetProperty("metadata").GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("false")]
    [InlineData("False")]
    [InlineData("FALSE")]
    [InlineData("fAlSe")]
    public async Task List_WatchFlagKubernetesReadsAsFalse_IsAList(string flag)
    {
        var response = await Server.Http.GetAsync("/api/v1/namespaces/default/pods?watch=" + flag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("PodList", (await Read(response)).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithCurrentObjects()
    {
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("old"));
        using var watch = await WatchReader.OpenAsync(Server.Http, "/api/v1/namespaces/default/pods?watch=true");

        var first = await watch.NextAsync();
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("new"));
        var second = await watch.NextAsync();

        Assert.Equal(("ADDED", "old"), (first.Type, first.Object.GetProperty("metadata").GetProperty("name").GetString()));
        Assert.Equal(("ADDED", "new"), (second.Type, second.Object.GetProperty("metadata").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Watch_LabelSelector_SkipsOthers()
    {
        using var watch = await WatchReader.OpenAsync(Server.Http, "/api/v1/pods?watch=true&resourceVersion=" + Server.InitialRevision + "&labelSelector=app%3Ddb");

        await Created(Server, "/api/v1/namespaces/default/pods", Pod("web-1", "web"));
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("db-1", "db"));
        var seen = await watch.NextAsync();

        Assert.Equal("db-1", seen.Object.GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Watch_LabelSelector_ObjectEnteringIsAddedAndLeavingIsDeleted()
    {
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("mover", "web"));
        using var watch = await WatchReader.OpenAsync(Server.Http, "/api/v1/pods?watch=true&labelSelector=app%3Ddb");
        const string path = "/api/v1/namespaces/default/pods/mover";

        await Server.PatchAsync(path, """{"metadata":{"labels":{"app":"db"}}}""", "application/merge-patch+json");
        var entered = await watch.NextAsync();
        await Server.PatchAsync(path, """{"metadata":{"labels":{"tier":"1"}}}""", "application/merge-patch+json");
        var changed = await watch.NextAsync();
        await Server.PatchAsync(path, """{"metadata":{"labels":{"app":"web"}}}""", "application/merge-patch+json");
        var left = await watch.NextAsync();

        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], new[] { entered.Type, changed.Type, left.Type });
        Assert.Equal("web", left.Object.GetProperty("metadata").GetProperty("labels").GetProperty("app").GetString());
    }

    [Fact]
    public async Task Watch_FieldSelectorOnName_SeesOnlyThatObject()
    {
        using var watch = await WatchReader.OpenAsync(Server.Http, "/api/v1/namespaces/default/pods?watch=true&resourceVersion=" + Server.InitialRevision + "&fieldSelector=metadata.name%3Dweb");

        await Created(Server, "/api/v1/namespaces/default/pods", Pod("web-2"));
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("web"));
        var seen = await watch.NextAsync();

        Assert.Equal("web", seen.Object.GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Watch_AllowBookmarks_SendsBookmarkWithRevision()
    {
        var created = await Created(Server, "/api/v1/namespaces/default/pods", Pod("b"));
        using var watch = await WatchReader.OpenAsync(Server.Http,
            "/api/v1/namespaces/default/pods?watch=true&allowWatchBookmarks=true&resourceVersion=" + RV(created));

        var bookmark = await watch.NextAsync();

        Assert.Equal("BOOKMARK", bookmark.Type);
        Assert.Equal(RV(created), RV(bookmark.Object));
        Assert.Equal("Pod", bookmark.Object.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsTheStreamNoSooner()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var watch = await WatchReader.OpenAsync(Server.Http, "/api/v1/namespaces/default/pods?watch=true&resourceVersion=" + Server.InitialRevision + "&timeoutSeconds=1");

        Assert.True(await watch.EndsAsync(TimeSpan.FromSeconds(10)));
        // The clock started before the request, so a server that waits the full second cannot
        // look early; the margin is for a timer that fires a tick before its due time.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"the watch ended after {clock.Elapsed.TotalSeconds:F3} s, before its timeoutSeconds=1");
    }

    [Fact]
    public async Task Watch_CompactedResourceVersion_IsGone()
    {
        var first = await Created(Server, "/api/v1/namespaces/default/pods", Pod("p1"));
        var second = await Created(Server, "/api/v1/namespaces/default/pods", Pod("p2"));
        await Server.Store.CompactAsync(long.Parse(RV(second), CultureInfo.InvariantCulture));

        var response = await Server.Http.GetAsync("/api/v1/namespaces/default/pods?watch=true&resourceVersion=" + (long.Parse(RV(first), CultureInfo.InvariantCulture) - 1));
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("Expired", status.GetProperty("reason").GetString());
        Assert.StartsWith("too old resource version", Message(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_BadResourceVersion_IsBadRequest()
    {
        var response = await Server.Http.GetAsync("/api/v1/pods?watch=true&resourceVersion=abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Watch_TableAccept_SendsTablesWithColumnsOnlyFirst()
    {
        using var watch = await WatchReader.OpenAsync(Server.Http, "/api/v1/namespaces/default/pods?watch=true&resourceVersion=" + Server.InitialRevision,
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        await Created(Server, "/api/v1/namespaces/default/pods", Pod("t1"));
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("t2"));
        var first = await watch.NextAsync();
        var second = await watch.NextAsync();

        Assert.Equal("Table", first.Object.GetProperty("kind").GetString());
        Assert.True(first.Object.GetProperty("columnDefinitions").GetArrayLength() > 0);
        Assert.Equal(0, second.Object.GetProperty("columnDefinitions").GetArrayLength());
        Assert.Equal("t2", second.Object.GetProperty("rows")[0].GetProperty("cells")[0].GetString());
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class WatchOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : WatchTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class WatchOnEtcdTests(EtcdStoreBackend backend) : WatchTests(backend), IClassFixture<EtcdStoreBackend>;
