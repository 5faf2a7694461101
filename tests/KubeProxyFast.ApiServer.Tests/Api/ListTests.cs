using System.Net;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>LIST: selectors, cross-namespace lists, paging with limit and continue.</summary>
public abstract class ListTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Created(Server, "/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"other"}}""");
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("a1", "a", node: "n1"));
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("a2", "a"));
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("b1", "b", node: "n2"));
        await Created(Server, "/api/v1/namespaces/other/pods", Pod("c1", "a", node: "n1"));
    }

    [Fact]
    public async Task List_Namespace_ReturnsItsPodsInNameOrderWithListMeta()
    {
        var list = await Read(await Server.Http.GetAsync("/api/v1/namespaces/default/pods"));

        Assert.Equal("PodList", list.GetProperty("kind").GetString());
        Assert.Equal(["a1", "a2", "b1"], Names(list));
        Assert.True(long.Parse(RV(list), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task List_AllNamespaces_IncludesEveryNamespace()
    {
        var list = await Read(await Server.Http.GetAsync("/api/v1/pods"));

        Assert.Equal(["a1", "a2", "b1", "c1"], Names(list));
    }

    [Fact]
    public async Task List_LabelSelector_FiltersAcrossNamespaces()
    {
        var list = await Read(await Server.Http.GetAsync("/api/v1/pods?labelSelector=app%3Da"));

        Assert.Equal(["a1", "a2", "c1"], Names(list));
    }

    [Fact]
    public async Task List_FieldSelectorOnNode_Filters()
    {
        var list = await Read(await Server.Http.GetAsync("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1"));

        Assert.Equal(["a1", "c1"], Names(list));
    }

    [Fact]
    public async Task List_FieldSelectorNotEqualAndPhase_Filters()
    {
        var list = await Read(await Server.Http.GetAsync("/api/v1/namespaces/default/pods?fieldSelector=metadata.name!%3Da1,status.phase%3DPending"));

        Assert.Equal(["a2", "b1"], Names(list));
    }

    [Fact]
    public async Task List_UnsupportedField_IsBadRequestNamingIt()
    {
        var response = await Server.Http.GetAsync("/api/v1/pods?fieldSelector=spec.color%3Dred");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("field label not supported: spec.color", Message(await Read(response)));
    }

    [Fact]
    public async Task List_InvalidLabelSelector_IsBadRequest()
    {
        var response = await Server.Http.GetAsync("/api/v1/pods?labelSelector=app%20in%20(a");
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("unable to parse requirement:", Message(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_LimitAndContinue_PagesThroughConsistently()
    {
        var first = await Read(await Server.Http.GetAsync("/api/v1/pods?limit=3"));
        var token = first.GetProperty("metadata").GetProperty("continue").GetString()!;
        // A write between pages must not show in the continued list: it reads at the first page's revision.
        await Created(Server, "/api/v1/namespaces/other/pods", Pod("d1", "a"));
        var second = await Read(await Server.Http.GetAsync("/api/v1/pods?limit=3&continue=" + Uri.EscapeDataString(token)));

        Assert.Equal(["a1", "a2", "b1"], Names(first));
        Assert.Equal(1, first.GetProperty("metadata").GetProperty("remainingItemCount").GetInt64());
        Assert.Equal(["c1"], Names(second));
        Assert.Equal(RV(first), RV(second));
        Assert.False(second.GetProperty("metadata").TryGetProperty("continue", out _));
    }

    [Fact]
    public async Task List_LimitWithSelector_FillsPages()
    {
        var first = await Read(await Server.Http.GetAsync("/api/v1/pods?labelSelector=app%3Da&limit=2"));
        var token = first.GetProperty("metadata").GetProperty("continue").GetString()!;
        var second = await Read(await Server.Http.GetAsync("/api/v1/pods?labelSelector=app%3Da&limit=2&continue=" + Uri.EscapeDataString(token)));

        Assert.Equal(["a1", "a2"], Names(first));
        Assert.Equal(["c1"], Names(second));
    }

    [Fact]
    public async Task List_BadContinueToken_IsBadRequest()
    {
        var response = await Server.Http.GetAsync("/api/v1/pods?limit=1&continue=bm90LWpzb24");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("continue key is not valid", Message(await Read(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ContinueAfterCompaction_IsGone()
    {
        var first = await Read(await Server.Http.GetAsync("/api/v1/pods?limit=1"));
        var token = first.GetProperty("metadata").GetProperty("continue").GetString()!;
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("z8"));
        var later = await Created(Server, "/api/v1/namespaces/default/pods", Pod("z9"));
        await Server.Store.CompactAsync(long.Parse(RV(later), System.Globalization.CultureInfo.InvariantCulture));

        var response = await Server.Http.GetAsync("/api/v1/pods?limit=1&continue=" + Uri.EscapeDataString(token));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("Expired", (await Read(response)).GetProperty("reason").GetString());
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class ListOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : ListTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class ListOnEtcdTests(EtcdStoreBackend backend) : ListTests(backend), IClassFixture<EtcdStoreBackend>;
