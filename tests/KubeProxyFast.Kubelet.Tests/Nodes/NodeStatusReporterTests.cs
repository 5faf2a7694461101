using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Kubelet.Cri.V1;
using KubeProxyFast.Kubelet.Nodes;
using KubeProxyFast.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using V1Node = KubeProxyFast.Api.Core.Node;

namespace KubeProxyFast.Kubelet.Tests.Nodes;

public sealed class NodeStatusReporterTests : NodeApiTestBase
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    // What Ready depends on in these tests: null is ready, else the reason.
    private volatile string? _notReady;

    private NodeStatusReporter Reporter(TimeProvider time, TimeSpan? frequency = null, TimeSpan? readinessInterval = null) =>
        new(Client, Description(), [DelegateReadinessCheck.Of(() => _notReady)],
            frequency ?? TimeSpan.FromSeconds(10), readinessInterval ?? TimeSpan.FromSeconds(5), time, NullLogger.Instance);

    private async Task<V1Node> RegisteredAsync() =>
        await new NodeRegistration(Client, Description(), TimeProvider.System, NullLogger.Instance).RegisterAsync(CancellationToken.None);

    private async Task<NodeCondition> ConditionAsync(string type) =>
        (await Client.GetAsync<V1Node>(null, NodeName)).Status!.Conditions!.Single(c => c.Type == type);

    [Fact]
    public async Task UpdateOnceAsync_Ready_PostsTheFourConditionsAsTheKubeletDoes()
    {
        await RegisteredAsync();
        await using var reporter = Reporter(new FakeTimeProvider(Start));

        var written = await reporter.UpdateOnceAsync(CancellationToken.None);

        Assert.True(written.Ready);
        var conditions = (await Client.GetAsync<V1Node>(null, NodeName)).Status!.Conditions!;
        Assert.Equal(
            [
                ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            conditions.Select(c => (c.Type, c.Status, c.Reason, c.Message)));
        Assert.All(conditions, c => Assert.Equal((Start, Start), (c.LastHeartbeatTime, c.LastTransitionTime)));
    }

    [Fact]
    public async Task UpdateOnceAsync_ReadinessFlips_ReadyFollowsWithTransitionTimes()
    {
        await RegisteredAsync();
        var time = new FakeTimeProvider(Start);
        await using var reporter = Reporter(time);
        _notReady = "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:cni not initialized";
        await reporter.UpdateOnceAsync(CancellationToken.None);
        var notReady = await ConditionAsync("Ready");
        Assert.Equal(("False", "KubeletNotReady", _notReady), (notReady.Status, notReady.Reason, notReady.Message));

        time.Advance(TimeSpan.FromSeconds(10));
        await reporter.UpdateOnceAsync(CancellationToken.None);
        var still = await ConditionAsync("Ready");
        Assert.Equal(("False", Start.AddSeconds(10), Start), (still.Status, still.LastHeartbeatTime, still.LastTransitionTime));

        _notReady = null;
        time.Advance(TimeSpan.FromSeconds(10));
        var written = await reporter.UpdateOnceAsync(CancellationToken.None);
        var ready = await ConditionAsync("Ready");
        Assert.True(written.Ready);
        Assert.Equal(("True", "KubeletReady", Start.AddSeconds(20), Start.AddSeconds(20)), (ready.Status, ready.Reason, ready.LastHeartbeatTime, ready.LastTransitionTime));
        var memory = await ConditionAsync("MemoryPressure");
        Assert.Equal((Start.AddSeconds(20), Start), (memory.LastHeartbeatTime, memory.LastTransitionTime));
    }

    [Fact]
    public async Task StatusPatch_NothingElseChanged_HoldsOnlyTheConditions()
    {
        await RegisteredAsync();
        await using var reporter = Reporter(new FakeTimeProvider(Start));
        await reporter.UpdateOnceAsync(CancellationToken.None);

        var patch = reporter.StatusPatch((await Client.GetAsync<V1Node>(null, NodeName)).Status, null, Start);

        var status = System.Text.Json.Nodes.JsonNode.Parse(patch)!["status"]!.AsObject();
        Assert.Equal(["conditions"], status.Select(p => p.Key));
    }

    [Fact]
    public async Task UpdateOnceAsync_StatusChangedByOthers_PutsOursBackKeepingTheirConditions()
    {
        await RegisteredAsync();
        await Client.PatchStatusAsync<V1Node>(null, NodeName, PatchType.Merge,
            """{"status":{"capacity":{"cpu":"64"},"addresses":[{"type":"ExternalIP","address":"198.18.9.9"},{"type":"InternalIP","address":"198.18.9.8"}],"nodeInfo":{"kernelVersion":"old"},"conditions":[{"type":"NetworkUnavailable","status":"False","reason":"RouteCreated"}]}}""");
        await using var reporter = Reporter(new FakeTimeProvider(Start));

        await reporter.UpdateOnceAsync(CancellationToken.None);

        var status = (await Client.GetAsync<V1Node>(null, NodeName)).Status!;
        Assert.Equal("4", status.Capacity!["cpu"].ToString());
        Assert.Equal("6.1.0-test", status.NodeInfo!.KernelVersion);
        Assert.Equal([(NodeAddressTypes.InternalIP, "198.18.0.2"), (NodeAddressTypes.Hostname, NodeName)], status.Addresses!.Select(a => (a.Type, a.Address)));
        Assert.Contains(status.Conditions!, c => c.Type == "NetworkUnavailable" && c.Reason == "RouteCreated");
        Assert.Contains(status.Conditions!, c => c.Type == "Ready" && c.Status == "True");
    }

    [Fact]
    public async Task UpdateOnceAsync_NodeGone_IsNotFound()
    {
        await using var reporter = Reporter(new FakeTimeProvider(Start));
        var e = await Assert.ThrowsAsync<KubeApiException>(() => reporter.UpdateOnceAsync(CancellationToken.None));
        Assert.True(e.IsNotFound);
    }

    [Fact]
    public async Task Start_ReadinessChangesBetweenUpdates_IsPostedAtOnce()
    {
        await RegisteredAsync();
        var changes = new System.Collections.Concurrent.ConcurrentQueue<bool>();
        // Updates an hour apart: only a change of readiness (checked every 50 ms) writes sooner.
        await using var reporter = Reporter(TimeProvider.System, TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(50));
        reporter.ReadinessChanged = r => changes.Enqueue(r.Ready);
        _notReady = "container runtime is down";
        reporter.Start();
        await Eventually.True(() => reporter.Reported is { Ready: false }, "not ready posted", TimeSpan.FromSeconds(10));

        _notReady = null;
        await Eventually.True(async () => (await ConditionAsync("Ready")).Status == "True", "Ready=True posted", TimeSpan.FromSeconds(10));
        _notReady = "network not ready";
        await Eventually.True(async () => (await ConditionAsync("Ready")).Message == "network not ready", "Ready=False posted", TimeSpan.FromSeconds(10));

        Assert.Equal([false, true, false], changes);
        Assert.Equal(3, reporter.Updates);
    }

    [Fact]
    public async Task Start_EveryFrequency_MovesTheHeartbeat()
    {
        await RegisteredAsync();
        await using var reporter = Reporter(TimeProvider.System, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(50));
        reporter.Start();

        await Eventually.True(() => reporter.Updates >= 3, "three updates", TimeSpan.FromSeconds(10));
        Assert.True((await ConditionAsync("Ready")).LastHeartbeatTime > Start);
    }

    [Fact]
    public async Task Trigger_PostsBeforeTheFrequency()
    {
        await RegisteredAsync();
        await using var reporter = Reporter(TimeProvider.System, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        reporter.Start();
        await Eventually.True(() => reporter.Updates == 1, "the first update", TimeSpan.FromSeconds(10));

        reporter.Trigger();

        await Eventually.True(() => reporter.Updates == 2, "the triggered update", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void CriJudge_BothConditionsTrue_IsReady()
    {
        var status = new RuntimeStatus();
        status.Conditions.Add(new RuntimeCondition { Type = "RuntimeReady", Status = true });
        status.Conditions.Add(new RuntimeCondition { Type = "NetworkReady", Status = true });
        Assert.Null(CriRuntimeReadiness.Judge(status));
    }

    [Fact]
    public void CriJudge_NetworkNotReady_SaysSoAsTheKubelet()
    {
        var status = new RuntimeStatus();
        status.Conditions.Add(new RuntimeCondition { Type = "RuntimeReady", Status = true });
        status.Conditions.Add(new RuntimeCondition { Type = "NetworkReady", Status = false, Reason = "NetworkPluginNotReady", Message = "cni plugin not initialized" });
        Assert.Equal("container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:cni plugin not initialized",
            CriRuntimeReadiness.Judge(status));
    }

    [Fact]
    public void CriJudge_RuntimeNotReady_ComesFirst()
    {
        var status = new RuntimeStatus();
        status.Conditions.Add(new RuntimeCondition { Type = "RuntimeReady", Status = false, Reason = "X", Message = "y" });
        Assert.StartsWith("container runtime not ready: RuntimeReady=false", CriRuntimeReadiness.Judge(status), StringComparison.Ordinal);
    }
}
