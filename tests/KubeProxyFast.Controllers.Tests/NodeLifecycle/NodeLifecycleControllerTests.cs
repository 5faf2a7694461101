using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Controllers.NodeLifecycle;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Controllers.Tests.NodeLifecycle;

/// <summary>
/// The controller against a real apiserver with shortened periods; the tests write nodes, Leases
/// and pod status where kubelets would. Where a test must show that something did not happen in
/// time, a "canary" node that went silent at the same moment shows the time has passed.
/// </summary>
public sealed class NodeLifecycleControllerTests : NodeControllerTestBase
{
    private static readonly TimeSpan RenewEvery = TimeSpan.FromMilliseconds(200);

    private static readonly NodeLifecycleOptions Options = new()
    {
        NodeMonitorPeriod = TimeSpan.FromMilliseconds(100),
        // Long enough that a loaded machine (2 cores shared by several builds) does not miss a renewal.
        NodeMonitorGracePeriod = TimeSpan.FromSeconds(2),
        NodeStartupGracePeriod = TimeSpan.FromSeconds(2),
        PodEvictionTimeout = TimeSpan.FromSeconds(3),
        NodeEvictionRate = 100,
        NodeEvictionPeriod = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task Monitor_NodeGoesSilent_UnknownTaintedPodsNotReadyThenEvicted()
    {
        await using var healthy = await StartKubeletAsync("healthy", renewing: true);
        await using var silent = await StartKubeletAsync("silent", renewing: false);
        await healthy.RunPodAsync("stays");
        await silent.RunPodAsync("evicted");
        await RunAsync(c => new NodeLifecycleController(c, Options));

        await Eventually.True(async () => ReadyStatus(await Node("silent")) == ConditionStatuses.Unknown, "the silent node is Unknown", Within);
        var node = await Node("silent");
        Assert.All(node.Status!.Conditions!, c =>
        {
            Assert.Equal(ConditionStatuses.Unknown, c.Status);
            Assert.Equal("NodeStatusUnknown", c.Reason);
            Assert.Equal("Kubelet stopped posting node status.", c.Message);
        });
        Assert.Equal(4, node.Status.Conditions!.Count);
        await Eventually.True(async () => Taints(await Node("silent")).Count == 2, "the silent node is tainted unreachable", Within);
        Assert.Equal(["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"], Taints(await Node("silent")));
        Assert.NotNull((await Node("silent")).Spec!.Taints!.Single(t => t.Effect == "NoExecute").TimeAdded);
        await Eventually.True(async () => PodReady(await Pod("evicted")) == ConditionStatuses.False, "the pod of the silent node is not ready", Within);

        await Eventually.True(async () => await IsEvictedAsync("evicted"), "the pod of the silent node is deleted", Within);

        var evicted = await Client.GetAsync<Pod>("default", "evicted");
        Assert.Equal("NodeLost", evicted.Status!.Reason);
        Assert.Equal("Node silent which was running pod evicted is unresponsive", evicted.Status.Message);
        Assert.Equal(ConditionStatuses.False, PodReady(evicted));
        Assert.Equal(ConditionStatuses.True, ReadyStatus(await Node("healthy")));
        Assert.Empty(Taints(await Node("healthy")));
        var stays = await Pod("stays");
        Assert.Null(stays.Metadata.DeletionTimestamp);
        Assert.Equal(ConditionStatuses.True, PodReady(stays));
        await Eventually.True(async () => (await EventsAsync("silent", "NodeNotReady")).Count > 0 && (await EventsAsync("silent", "DeletingAllPods")).Count > 0
            && (await EventsAsync("evicted", "NodeNotReady")).Count > 0, "NodeNotReady and DeletingAllPods events", Within);
        Assert.Equal("Node silent status is now: NodeNotReady", (await EventsAsync("silent", "NodeNotReady"))[0].Message);
        Assert.Equal("Deleting all Pods from Node silent.", (await EventsAsync("silent", "DeletingAllPods"))[0].Message);
        Assert.Equal("Node is not ready", (await EventsAsync("evicted", "NodeNotReady"))[0].Message);
    }

    [Fact]
    public async Task Eviction_NodeWithOnlyDaemonSetPods_MarkedEvictedSoPodsBoundLaterGoAtOnce()
    {
        await using var healthy = await StartKubeletAsync("healthy", renewing: true);
        await using var quiet = await StartKubeletAsync("quiet", renewing: false);
        await Client.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = "daemon",
                Namespace = "default",
                OwnerReferences = [new OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "agent", Uid = "6f1c2a8e-0000-4000-8000-000000000001", Controller = true }],
            },
            Spec = new PodSpec { NodeName = "quiet", Containers = [new Container { Name = "c", Image = "registry.invalid/agent" }] },
        });
        // One token, the next in 1,000 s: a node queued again after its eviction would wait that long.
        await RunAsync(c => new NodeLifecycleController(c, Options with { NodeEvictionRate = 0.001 }));
        await Eventually.True(async () => (await EventsAsync("quiet", "DeletingAllPods")).Count > 0, "the quiet node's eviction ran", Within);

        await quiet.RunPodAsync("late");

        await Eventually.True(async () => await IsEvictedAsync("late"), "a pod bound to the evicted node is deleted at once", Within);
        Assert.False(await IsEvictedAsync("daemon"));
    }

    [Fact]
    public async Task Monitor_NodeRecovers_UntaintedAndItsPodsNotEvicted()
    {
        await using var healthy = await StartKubeletAsync("healthy", renewing: true);
        await using var canary = await StartKubeletAsync("canary", renewing: false);
        await using var recovering = await StartKubeletAsync("recovering", renewing: false);
        await canary.RunPodAsync("canary-pod");
        await recovering.RunPodAsync("kept");
        await RunAsync(c => new NodeLifecycleController(c, Options));
        await Eventually.True(async () => Taints(await Node("recovering")).Count == 2, "the silent node is tainted", Within);

        await recovering.PostStatusAsync();
        recovering.StartRenewing(RenewEvery);

        await Eventually.True(async () => Taints(await Node("recovering")).Count == 0, "the recovered node's taints are removed", Within);
        await Eventually.True(async () => await IsEvictedAsync("canary-pod"), "the canary's pod is evicted (the eviction timeout has passed)", Within);
        Assert.Null((await Pod("kept")).Metadata.DeletionTimestamp);
        Assert.Equal(ConditionStatuses.True, ReadyStatus(await Node("recovering")));
    }

    [Fact]
    public async Task Monitor_EveryNodeSilent_EvictionHaltedUntilOneComesBack()
    {
        await using var a = await StartKubeletAsync("a", renewing: false);
        await using var b = await StartKubeletAsync("b", renewing: false);
        await a.RunPodAsync("pod-a");
        await b.RunPodAsync("pod-b");
        await RunAsync(c => new NodeLifecycleController(c, Options));
        await Eventually.True(async () => PodReady(await Pod("pod-a")) == ConditionStatuses.False && PodReady(await Pod("pod-b")) == ConditionStatuses.False,
            "both nodes' pods are not ready", Within);

        // Well past the eviction timeout since both went silent, nothing was evicted (full disruption).
        var deadline = DateTime.UtcNow + Options.PodEvictionTimeout + TimeSpan.FromSeconds(1);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(await IsEvictedAsync("pod-a") || await IsEvictedAsync("pod-b"), "a pod was evicted while every node was down");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        await a.PostStatusAsync();
        a.StartRenewing(RenewEvery);

        await Eventually.True(async () => await IsEvictedAsync("pod-b"), "node b's pod is evicted once node a is back", Within);
        Assert.False(await IsEvictedAsync("pod-a"));
    }

    [Fact]
    public async Task Monitor_OnlyLeaseRenewed_NodeStaysReady()
    {
        await using var leased = await StartKubeletAsync("leased", renewing: true);
        await using var canary = await StartKubeletAsync("canary", renewing: false);
        await leased.RunPodAsync("leased-pod");
        await canary.RunPodAsync("canary-pod");
        await RunAsync(c => new NodeLifecycleController(c, Options));

        await Eventually.True(async () => await IsEvictedAsync("canary-pod"), "the canary's pod is evicted (the grace period has long passed)", Within);

        var node = await Node("leased");
        Assert.Equal(ConditionStatuses.True, ReadyStatus(node));
        Assert.Empty(Taints(node));
        Assert.Equal(ConditionStatuses.True, PodReady(await Pod("leased-pod")));
    }

    [Fact]
    public async Task Monitor_KubeletPostsReadyFalse_NotReadyTaintUntilReadyAgain()
    {
        await using var kubelet = await StartKubeletAsync("sick", renewing: true, ready: ConditionStatuses.False);
        await using var healthy = await StartKubeletAsync("healthy", renewing: true);
        await RunAsync(c => new NodeLifecycleController(c, Options with { PodEvictionTimeout = TimeSpan.FromMinutes(5) }));

        await Eventually.True(async () => Taints(await Node("sick")).Count == 2, "the not-ready node is tainted", Within);
        Assert.Equal(["node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule"], Taints(await Node("sick")));
        Assert.Equal(ConditionStatuses.False, ReadyStatus(await Node("sick")));

        await kubelet.PostStatusAsync(ConditionStatuses.True);

        await Eventually.True(async () => Taints(await Node("sick")).Count == 0, "the taints are removed once Ready", Within);
    }

    [Fact]
    public async Task Monitor_TaintsOfOthers_Kept()
    {
        await using var silent = await StartKubeletAsync("silent", renewing: false);
        await using var healthy = await StartKubeletAsync("healthy", renewing: true);
        var node = await Node("silent");
        node.Spec!.Taints = [new Taint { Key = "example.com/dedicated", Value = "db", Effect = "NoSchedule" }];
        await Client.UpdateAsync(node);
        await RunAsync(c => new NodeLifecycleController(c, Options));

        await Eventually.True(async () => Taints(await Node("silent")).Count == 3, "the silent node is tainted", Within);

        Assert.Contains("example.com/dedicated:NoSchedule", Taints(await Node("silent")));
    }

    [Fact]
    public void Constructor_BadOptions_ErrorNamesTheFlag()
    {
        using var client = new KubeClient(new Uri("http://127.0.0.1:1"));
        var context = new ControllerContext(client, new Client.Informers.SharedInformerFactory(client), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        var error = Assert.Throws<ArgumentException>(() => new NodeLifecycleController(context, Options with { NodeEvictionRate = -1, UnhealthyZoneThreshold = 2 }));

        Assert.Contains("--node-eviction-rate must not be negative, got -1", error.Message, StringComparison.Ordinal);
        Assert.Contains("--unhealthy-zone-threshold must be in (0, 1], got 2", error.Message, StringComparison.Ordinal);
    }

    private async Task<FakeKubelet> StartKubeletAsync(string name, bool renewing, string ready = ConditionStatuses.True)
    {
        var kubelet = new FakeKubelet(Client, name);
        await kubelet.RegisterAsync(ready);
        if (renewing)
        {
            kubelet.StartRenewing(RenewEvery);
        }

        return kubelet;
    }

    private Task<Node> Node(string name) => Client.GetAsync<Node>(null, name);

    private Task<Pod> Pod(string name) => Client.GetAsync<Pod>("default", name);

    /// <summary>Deleted, or being deleted (a pod on a node is deleted gracefully).</summary>
    private async Task<bool> IsEvictedAsync(string pod)
    {
        try
        {
            return (await Pod(pod)).Metadata.DeletionTimestamp is not null;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return true;
        }
    }

    private static string? ReadyStatus(Node node) => node.Status?.Conditions?.Find(c => c.Type == "Ready")?.Status;

    private static string? PodReady(Pod pod) => pod.Status?.Conditions?.Find(c => c.Type == PodConditionTypes.Ready)?.Status;

    private static List<string> Taints(Node node) =>
        [.. (node.Spec?.Taints ?? []).Select(t => $"{t.Key}:{t.Effect}").Order(StringComparer.Ordinal)];
}
