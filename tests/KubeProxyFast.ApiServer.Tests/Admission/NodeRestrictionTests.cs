using System.Net;
using KubeProxyFast.ApiServer.Tests.Authorization.Node;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Authorization.Node.NodeRequests;

namespace KubeProxyFast.ApiServer.Tests.Admission;

/// <summary>NodeRestriction admission over real HTTPS: what a kubelet may write into the objects it is allowed to touch.</summary>
public sealed class NodeRestrictionTests
{
    private const string Nodes = "/api/v1/nodes";
    private const string Pods = "/api/v1/namespaces/default/pods";

    [Fact]
    public async Task CreateNode_OwnWithKubeletLabels_IsCreated()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);

        var created = await SendAsync(requests.Kubelet("n1").PostAsync(Nodes,
            Json(NodeJson("n1", ("kubernetes.io/hostname", "n1"), ("kubernetes.io/os", "linux"), ("node.kubernetes.io/instance-type", "small"), ("team", "a")))));

        Assert.Equal(HttpStatusCode.Created, created.Status);
    }

    [Fact]
    public async Task CreateNode_AnotherNode_IsForbidden()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);

        var created = await SendAsync(requests.Kubelet("n1").PostAsync(Nodes, Json(NodeJson("n2"))));

        Assert.Equal(HttpStatusCode.Forbidden, created.Status);
        Assert.Equal("nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"", Message(created.Body));
    }

    [Fact]
    public async Task CreateNode_WithRoleLabel_IsForbiddenNamingTheLabels()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);

        var created = await SendAsync(requests.Kubelet("n1").PostAsync(Nodes,
            Json(NodeJson("n1", ("node-role.kubernetes.io/master", ""), ("node-restriction.kubernetes.io/pool", "gpu"), ("kubernetes.io/hostname", "n1")))));
        var stored = await SendAsync(requests.Admin.GetAsync(Nodes + "/n1"));

        Assert.Equal(HttpStatusCode.Forbidden, created.Status);
        Assert.Equal(
            "nodes \"n1\" is forbidden: node \"n1\" is not allowed to set the following labels: node-restriction.kubernetes.io/pool, node-role.kubernetes.io/master",
            Message(created.Body));
        Assert.Equal(HttpStatusCode.NotFound, stored.Status);
    }

    [Fact]
    public async Task PatchNode_OwnLabelIntoMasterRole_IsForbiddenButOrdinaryLabelsPass()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        await requests.CreateAsync(Nodes, NodeJson("n1"));
        var n1 = requests.Kubelet("n1");

        var role = await SendAsync(n1.PatchAsync(Nodes + "/n1", MergePatch("""{"metadata":{"labels":{"node-role.kubernetes.io/master":""}}}""")));
        var put = await SendAsync(n1.PutAsync(Nodes + "/n1", Json(NodeJson("n1", ("node-role.kubernetes.io/master", "")))));
        var ordinary = await SendAsync(n1.PatchAsync(Nodes + "/n1", MergePatch("""{"metadata":{"labels":{"team":"a","kubernetes.io/arch":"amd64"}}}""")));
        var stored = await SendAsync(requests.Admin.GetAsync(Nodes + "/n1"));

        Assert.Equal(HttpStatusCode.Forbidden, role.Status);
        Assert.Equal("nodes \"n1\" is forbidden: node \"n1\" is not allowed to modify labels: node-role.kubernetes.io/master", Message(role.Body));
        Assert.Equal(HttpStatusCode.Forbidden, put.Status);
        Assert.Equal(HttpStatusCode.OK, ordinary.Status);
        Assert.DoesNotContain("node-role", stored.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchNode_RemovingARoleTheAdminSet_IsForbidden()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        await requests.CreateAsync(Nodes, NodeJson("n1", ("node-role.kubernetes.io/worker", "")));

        var removed = await SendAsync(requests.Kubelet("n1").PatchAsync(Nodes + "/n1", MergePatch("""{"metadata":{"labels":{"node-role.kubernetes.io/worker":null}}}""")));

        Assert.Equal(HttpStatusCode.Forbidden, removed.Status);
        Assert.EndsWith("is not allowed to modify labels: node-role.kubernetes.io/worker", Message(removed.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchNode_OwnTaints_IsForbidden()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        await requests.CreateAsync(Nodes, """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"spec":{"taints":[{"key":"dedicated","value":"db","effect":"NoSchedule"}]}}""");

        var untainted = await SendAsync(requests.Kubelet("n1").PatchAsync(Nodes + "/n1", MergePatch("""{"spec":{"taints":null}}""")));

        Assert.Equal(HttpStatusCode.Forbidden, untainted.Status);
        Assert.Equal("nodes \"n1\" is forbidden: node \"n1\" is not allowed to modify taints", Message(untainted.Body));
    }

    [Fact]
    public async Task PodStatus_OwnPodWritableAnotherNodesForbidden()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        await requests.CreateAsync(Pods, PodWith("mine", "n1"));
        await requests.CreateAsync(Pods, PodWith("theirs", "n2"));
        var n1 = requests.Kubelet("n1");
        const string Running = """{"status":{"phase":"Running"}}""";

        var own = await EventuallyAsync(() => n1.PatchAsync(Pods + "/mine/status", MergePatch(Running)), HttpStatusCode.OK);
        await EventuallyAsync(() => requests.Kubelet("n2").GetAsync(Pods + "/theirs"), HttpStatusCode.OK);
        var other = await SendAsync(n1.PatchAsync(Pods + "/theirs/status", MergePatch(Running)));
        var spec = await SendAsync(n1.PatchAsync(Pods + "/mine", MergePatch("""{"metadata":{"labels":{"app":"x"}}}""")));

        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Contains("\"phase\":\"Running\"", own.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, other.Status);
        Assert.Equal(HttpStatusCode.Forbidden, spec.Status);
    }

    [Fact]
    public async Task DeletePod_OwnDeletedAnotherNodesForbidden()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);
        await requests.CreateAsync(Pods, PodWith("mine", "n1"));
        await requests.CreateAsync(Pods, PodWith("theirs", "n2"));
        var n1 = requests.Kubelet("n1");
        await EventuallyAsync(() => requests.Kubelet("n2").GetAsync(Pods + "/theirs"), HttpStatusCode.OK);

        var own = await EventuallyAsync(() => n1.DeleteAsync(Pods + "/mine?gracePeriodSeconds=0"), HttpStatusCode.OK);
        var other = await SendAsync(n1.DeleteAsync(Pods + "/theirs?gracePeriodSeconds=0"));
        var still = await SendAsync(requests.Admin.GetAsync(Pods + "/theirs"));

        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal(HttpStatusCode.Forbidden, other.Status);
        Assert.Equal(HttpStatusCode.OK, still.Status);
    }

    [Fact]
    public async Task CreatePod_ByANode_IsForbidden()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var requests = new NodeRequests(server);

        var created = await SendAsync(requests.Kubelet("n1").PostAsync(Pods, Json(PodWith("static", "n1"))));

        Assert.Equal(HttpStatusCode.Forbidden, created.Status);
    }
}
