using System.Net;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Authorization.Node.NodeRequests;

namespace KubeProxyFast.ApiServer.Tests.Authorization.Node;

/// <summary>The Node authorizer over real HTTPS with kubelet client certificates: what a node may read and write.</summary>
public sealed class NodeAuthorizerTests
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private const string Secrets = "/api/v1/namespaces/default/secrets";
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    [Fact]
    public async Task GetPod_OwnPodAndAnotherNodesPod_OnlyOwnIsReadable()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        await requests.CreateAsync(Pods, PodWith("mine", "n1"));
        await requests.CreateAsync(Pods, PodWith("theirs", "n2"));
        var n1 = requests.Kubelet("n1");

        var own = await EventuallyAsync(() => n1.GetAsync(Pods + "/mine"), HttpStatusCode.OK);
        // n2 can read its pod: the graph knows it, so n1's refusal is a judgement, not a lag.
        var theirsForN2 = await EventuallyAsync(() => requests.Kubelet("n2").GetAsync(Pods + "/theirs"), HttpStatusCode.OK);
        var theirs = await SendAsync(n1.GetAsync(Pods + "/theirs"));

        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal(HttpStatusCode.OK, theirsForN2.Status);
        Assert.Equal(HttpStatusCode.Forbidden, theirs.Status);
        Assert.Equal(
            "pods \"theirs\" is forbidden: User \"system:node:n1\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\": "
            + "no relationship found between node 'n1' and this object",
            Message(theirs.Body));
    }

    [Fact]
    public async Task ListPods_OwnNodeFieldSelector_AllowedAndHoldsOnlyItsPods()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        await requests.CreateAsync(Pods, PodWith("mine", "n1"));
        await requests.CreateAsync(Pods, PodWith("theirs", "n2"));
        var n1 = requests.Kubelet("n1");

        var own = await SendAsync(n1.GetAsync("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1"));
        var watch = await SendAsync(n1.GetAsync("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1&watch=true&timeoutSeconds=1"));

        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Contains("\"mine\"", own.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"theirs\"", own.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, watch.Status);
    }

    [Theory]
    [InlineData("/api/v1/pods")]
    [InlineData("/api/v1/namespaces/default/pods")]
    [InlineData("/api/v1/pods?fieldSelector=spec.nodeName%3Dn2")]
    [InlineData("/api/v1/pods?fieldSelector=spec.nodeName%21%3Dn1")]
    [InlineData("/api/v1/pods?watch=true")]
    public async Task ListPods_WithoutOwnNodeFieldSelector_IsForbidden(string path)
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);

        var response = await SendAsync(requests.Kubelet("n1").GetAsync(path));

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.EndsWith("can only list/watch pods with spec.nodeName field selector", Message(response.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSecret_ReferencedByOwnPod_ReadableUntilThePodIsDeleted()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        await requests.CreateAsync(Secrets, Secret("tls"));
        await requests.CreateAsync(Secrets, Secret("unrelated"));
        await requests.CreateAsync(Pods, PodWith("web", "n1", secret: "tls"));
        var n1 = requests.Kubelet("n1");

        var referenced = await EventuallyAsync(() => n1.GetAsync(Secrets + "/tls"), HttpStatusCode.OK);
        var unrelated = await SendAsync(n1.GetAsync(Secrets + "/unrelated"));
        var otherNode = await SendAsync(requests.Kubelet("n2").GetAsync(Secrets + "/tls"));
        var list = await SendAsync(n1.GetAsync(Secrets));
        using (var deleted = await requests.Admin.DeleteAsync(Pods + "/web?gracePeriodSeconds=0"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        var afterDelete = await EventuallyAsync(() => n1.GetAsync(Secrets + "/tls"), HttpStatusCode.Forbidden);

        Assert.Equal(HttpStatusCode.OK, referenced.Status);
        Assert.Equal(HttpStatusCode.Forbidden, unrelated.Status);
        Assert.EndsWith("no relationship found between node 'n1' and this object", Message(unrelated.Body), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, otherNode.Status);
        Assert.Equal(HttpStatusCode.Forbidden, list.Status);
        Assert.Equal(HttpStatusCode.Forbidden, afterDelete.Status);
    }

    [Fact]
    public async Task GetConfigMap_PodRecreatedOnAnotherNode_MovesAccessToThatNode()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        await requests.CreateAsync(ConfigMaps, ConfigMap("settings"));
        await requests.CreateAsync(Pods, PodWith("web", "n1", configMap: "settings"));
        var n1 = requests.Kubelet("n1");
        var n2 = requests.Kubelet("n2");
        var before = await EventuallyAsync(() => n1.GetAsync(ConfigMaps + "/settings"), HttpStatusCode.OK);

        using (var deleted = await requests.Admin.DeleteAsync(Pods + "/web?gracePeriodSeconds=0"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        await requests.CreateAsync(Pods, PodWith("web", "n2", configMap: "settings"));
        var forN2 = await EventuallyAsync(() => n2.GetAsync(ConfigMaps + "/settings"), HttpStatusCode.OK);
        var forN1 = await EventuallyAsync(() => n1.GetAsync(ConfigMaps + "/settings"), HttpStatusCode.Forbidden);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(HttpStatusCode.OK, forN2.Status);
        Assert.Equal(HttpStatusCode.Forbidden, forN1.Status);
    }

    [Fact]
    public async Task WatchSecret_NarrowedToAReferencedName_IsAllowed()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        await requests.CreateAsync(Secrets, Secret("tls"));
        await requests.CreateAsync(Pods, PodWith("web", "n1", secret: "tls"));
        var n1 = requests.Kubelet("n1");

        var one = await EventuallyAsync(() => n1.GetAsync(Secrets + "?fieldSelector=metadata.name%3Dtls&watch=true&timeoutSeconds=1"), HttpStatusCode.OK);
        var other = await SendAsync(n1.GetAsync(Secrets + "?fieldSelector=metadata.name%3Dother"));

        Assert.Equal(HttpStatusCode.OK, one.Status);
        Assert.Equal(HttpStatusCode.Forbidden, other.Status);
    }

    [Fact]
    public async Task PatchNodeStatus_OwnNode_AllowedAnotherNode_Forbidden()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        await requests.CreateAsync("/api/v1/nodes", NodeJson("n1"));
        await requests.CreateAsync("/api/v1/nodes", NodeJson("n2"));
        var n1 = requests.Kubelet("n1");
        const string Patch = """{"status":{"capacity":{"cpu":"2"}}}""";

        var own = await SendAsync(n1.PatchAsync("/api/v1/nodes/n1/status", MergePatch(Patch)));
        var other = await SendAsync(n1.PatchAsync("/api/v1/nodes/n2/status", MergePatch(Patch)));
        var read = await SendAsync(n1.GetAsync("/api/v1/nodes"));

        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Contains("\"cpu\":\"2\"", own.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, other.Status);
        Assert.EndsWith("node 'n1' cannot modify node 'n2', only its own Node object", Message(other.Body), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, read.Status);
    }

    [Fact]
    public async Task DeleteNode_AnotherNode_IsForbiddenAndTheNodeStays()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        await requests.CreateAsync("/api/v1/nodes", NodeJson("n2"));

        var delete = await SendAsync(requests.Kubelet("n1").DeleteAsync("/api/v1/nodes/n2"));
        var still = await SendAsync(requests.Admin.GetAsync("/api/v1/nodes/n2"));

        Assert.Equal(HttpStatusCode.Forbidden, delete.Status);
        Assert.Equal(HttpStatusCode.OK, still.Status);
    }

    [Fact]
    public async Task Lease_OwnInNodeLeaseNamespace_WritableAnothersForbidden()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        const string Leases = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";
        await requests.CreateAsync(Leases, Lease("n2"));
        var n1 = requests.Kubelet("n1");

        var create = await SendAsync(n1.PostAsync(Leases, Json(Lease("n1"))));
        var renew = await SendAsync(n1.PatchAsync(Leases + "/n1", MergePatch("""{"spec":{"leaseDurationSeconds":41}}""")));
        var createOther = await SendAsync(n1.PostAsync(Leases, Json(Lease("n3"))));
        var renewOther = await SendAsync(n1.PatchAsync(Leases + "/n2", MergePatch("""{"spec":{"leaseDurationSeconds":41}}""")));
        var elsewhere = await SendAsync(n1.PostAsync("/apis/coordination.k8s.io/v1/namespaces/default/leases", Json(Lease("n1"))));
        var list = await SendAsync(n1.GetAsync(Leases));

        Assert.Equal(HttpStatusCode.Created, create.Status);
        Assert.Equal(HttpStatusCode.OK, renew.Status);
        Assert.Equal(HttpStatusCode.Forbidden, createOther.Status);
        Assert.EndsWith("can only access node lease with the same name as the requesting node", Message(createOther.Body), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, renewOther.Status);
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.Status);
        Assert.Equal(HttpStatusCode.Forbidden, list.Status);
    }

    [Fact]
    public async Task FixedRules_ServicesReadableEventsWritableNamespacesNot()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        var n1 = requests.Kubelet("n1");
        const string Event = """
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"e1"},"involvedObject":{"kind":"Node","name":"n1"},"reason":"Starting","message":"kubelet started","type":"Normal"}
            """;

        var services = await SendAsync(n1.GetAsync("/api/v1/services"));
        var events = await SendAsync(n1.PostAsync("/api/v1/namespaces/default/events", Json(Event)));
        var namespaces = await SendAsync(n1.GetAsync("/api/v1/namespaces"));
        var notANode = await SendAsync(server.HttpAs("system:node:n1").GetAsync("/api/v1/services"));

        Assert.Equal(HttpStatusCode.OK, services.Status);
        Assert.Equal(HttpStatusCode.Created, events.Status);
        Assert.Equal(HttpStatusCode.Forbidden, namespaces.Status);
        // Without the system:nodes group the name alone makes no kubelet.
        Assert.Equal(HttpStatusCode.Forbidden, notANode.Status);
    }
}
