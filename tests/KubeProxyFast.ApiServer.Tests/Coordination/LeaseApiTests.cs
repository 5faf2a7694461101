using System.Net;
using System.Text.RegularExpressions;
using KubeProxyFast.ApiServer.Tests.Api;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Coordination;

/// <summary>coordination.k8s.io/v1 Leases over HTTP: every verb, watch, validation and the lease strategy's rules.</summary>
public abstract partial class LeaseApiTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Leases = "/apis/coordination.k8s.io/v1/namespaces/default/leases";

    [Fact]
    public async Task Create_Lease_IsStoredUnderItsGroupVersion()
    {
        var created = await Created(Server, Leases, Lease("l1", holder: "me"));
        var got = await Read(await Server.Http.GetAsync(Leases + "/l1"));

        Assert.Equal("coordination.k8s.io/v1", created.GetProperty("apiVersion").GetString());
        Assert.Equal("Lease", got.GetProperty("kind").GetString());
        Assert.Equal("me", got.GetProperty("spec").GetProperty("holderIdentity").GetString());
        Assert.Equal(15, got.GetProperty("spec").GetProperty("leaseDurationSeconds").GetInt32());
        Assert.Equal("default", got.GetProperty("metadata").GetProperty("namespace").GetString());
    }

    [Fact]
    public async Task Create_MicroTimes_AreWrittenWithSixFractionalDigits()
    {
        var body = Lease("l1").Replace("\"spec\":{", "\"spec\":{\"acquireTime\":\"2026-12-06T10:00:00.5Z\",\"renewTime\":\"2026-12-06T10:00:01.123456789Z\",", StringComparison.Ordinal);

        var created = await Created(Server, Leases, body);

        Assert.Equal("2026-12-06T10:00:00.500000Z", created.GetProperty("spec").GetProperty("acquireTime").GetString());
        Assert.Equal("2026-12-06T10:00:01.123456Z", created.GetProperty("spec").GetProperty("renewTime").GetString());
    }

    [Fact]
    public async Task ListAcrossNamespaces_IsLeaseListOfTheGroup()
    {
        await Created(Server, Leases, Lease("l1"));
        await Created(Server, "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases", Lease("l2"));

        var all = await Read(await Server.Http.GetAsync("/apis/coordination.k8s.io/v1/leases"));
        var one = await Read(await Server.Http.GetAsync(Leases));

        Assert.Equal("LeaseList", all.GetProperty("kind").GetString());
        Assert.Equal("coordination.k8s.io/v1", all.GetProperty("apiVersion").GetString());
        Assert.Equal(["l1", "l2"], Names(all).Order());
        Assert.Equal(["l1"], Names(one));
    }

    [Fact]
    public async Task Update_WithResourceVersion_ReplacesAndStaleOneConflicts()
    {
        var created = await Created(Server, Leases, Lease("l1", holder: "a"));

        var first = await Server.PutJsonAsync(Leases + "/l1", WithVersion(Lease("l1", holder: "b"), RV(created)));
        var stale = await Server.PutJsonAsync(Leases + "/l1", WithVersion(Lease("l1", holder: "c"), RV(created)));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("b", (await Read(first)).GetProperty("spec").GetProperty("holderIdentity").GetString());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(
            "Operation cannot be fulfilled on leases.coordination.k8s.io \"l1\": the object has been modified; please apply your changes to the latest version and try again",
            Message(await Read(stale)));
    }

    [Fact]
    public async Task Update_WithoutResourceVersion_IsInvalidButCreatesWhenMissing()
    {
        await Created(Server, Leases, Lease("l1"));

        var unconditional = await Server.PutJsonAsync(Leases + "/l1", Lease("l1", holder: "b"));
        var createdByPut = await Server.PutJsonAsync(Leases + "/l2", Lease("l2", holder: "b"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unconditional.StatusCode);
        Assert.Equal("leases.coordination.k8s.io \"l1\" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update",
            Message(await Read(unconditional)));
        Assert.Equal(HttpStatusCode.Created, createdByPut.StatusCode);
    }

    [Fact]
    public async Task Patch_MergePatch_ChangesHolder()
    {
        await Created(Server, Leases, Lease("l1", holder: "a"));

        var patched = await Server.PatchAsync(Leases + "/l1", """{"spec":{"holderIdentity":"z","leaseTransitions":3}}""", "application/merge-patch+json");
        var body = await Read(patched);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("z", body.GetProperty("spec").GetProperty("holderIdentity").GetString());
        Assert.Equal(3, body.GetProperty("spec").GetProperty("leaseTransitions").GetInt32());
    }

    [Fact]
    public async Task Delete_ThenGet_IsNotFoundNamingTheGroup()
    {
        await Created(Server, Leases, Lease("l1"));

        var deleted = await Server.Http.DeleteAsync(Leases + "/l1");
        var missing = await Server.Http.GetAsync(Leases + "/l1");
        var status = await Read(missing);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("leases.coordination.k8s.io \"l1\" not found", Message(status));
        Assert.Equal("coordination.k8s.io", status.GetProperty("details").GetProperty("group").GetString());
        Assert.Equal("leases", status.GetProperty("details").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Watch_FromListRevision_SeesAddModifyDelete()
    {
        var list = await Read(await Server.Http.GetAsync(Leases));
        using var watch = await WatchReader.OpenAsync(Server.Http, Leases + "?watch=true&resourceVersion=" + RV(list));

        var created = await Created(Server, Leases, Lease("l1", holder: "a"));
        await Server.PutJsonAsync(Leases + "/l1", WithVersion(Lease("l1", holder: "b"), RV(created)));
        await Server.Http.DeleteAsync(Leases + "/l1");

        var added = await watch.NextAsync();
        var modified = await watch.NextAsync();
        var deleted = await watch.NextAsync();
        Assert.Equal(("ADDED", "coordination.k8s.io/v1"), (added.Type, added.Object.GetProperty("apiVersion").GetString()));
        Assert.Equal(("MODIFIED", "b"), (modified.Type, modified.Object.GetProperty("spec").GetProperty("holderIdentity").GetString()));
        Assert.Equal("DELETED", deleted.Type);
    }

    [Theory]
    [InlineData("""{"leaseDurationSeconds":0}""", "Lease.coordination.k8s.io \"bad\" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0")]
    [InlineData("""{"leaseTransitions":-1}""", "Lease.coordination.k8s.io \"bad\" is invalid: spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("""{"preferredHolder":"x"}""", "Lease.coordination.k8s.io \"bad\" is invalid: spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined")]
    [InlineData("""{"strategy":"Newest"}""", "Lease.coordination.k8s.io \"bad\" is invalid: spec.strategy: Unsupported value: \"Newest\": supported values: \"OldestEmulationVersion\"")]
    public async Task Create_InvalidSpec_IsUnprocessableWithKubernetesMessage(string spec, string message)
    {
        var response = await Server.PostJsonAsync(Leases, $$"""{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"bad"},"spec":{{spec}}}""");
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(message, Message(status));
        Assert.Equal("coordination.k8s.io", status.GetProperty("details").GetProperty("group").GetString());
    }

    [Fact]
    public async Task Create_NameNotADnsSubdomain_IsUnprocessable()
    {
        var response = await Server.PostJsonAsync(Leases, Lease("Not_A_Name"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith("Lease.coordination.k8s.io \"Not_A_Name\" is invalid: metadata.name: Invalid value: \"Not_A_Name\": a lowercase RFC 1123 subdomain", Message(await Read(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WrongApiVersion_IsBadRequest()
    {
        var response = await Server.PostJsonAsync(Leases, Lease("l1").Replace("coordination.k8s.io/v1", "v1", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("does not match the apiVersion of the request path (\"coordination.k8s.io/v1\")", Message(await Read(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Table_Leases_HaveNameHolderAge()
    {
        await Created(Server, Leases, Lease("l1", holder: "node-a"));
        using var request = new HttpRequestMessage(HttpMethod.Get, Leases);
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");

        var table = await Read(await Server.Http.SendAsync(request));

        Assert.Equal(["Name", "Holder", "Age"], table.GetProperty("columnDefinitions").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("node-a", table.GetProperty("rows")[0].GetProperty("cells")[1].GetString());
    }

    private static string WithVersion(string lease, string resourceVersion) =>
        ResourceVersionSlot().Replace(lease, "\"metadata\":{\"resourceVersion\":\"" + resourceVersion + "\",", 1);

    [GeneratedRegex("\"metadata\":\\{")]
    private static partial Regex ResourceVersionSlot();
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class LeaseApiOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : LeaseApiTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class LeaseApiOnEtcdTests(EtcdStoreBackend backend) : LeaseApiTests(backend), IClassFixture<EtcdStoreBackend>;
