using KubeProxyFast.Api.Core;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Scheduler.Tests;

/// <summary>The scheduler end to end against a real apiserver; the tests write Node objects where a kubelet would.</summary>
public sealed class SchedulerTests : SchedulerTestBase
{
    [Fact]
    public async Task RunAsync_PodAndReadyNode_BindsWithScheduledEvent()
    {
        await CreateNodeAsync(Build.Node("n1"));
        await CreatePodAsync(Build.Pod("web"));

        Assert.Equal("n1", await BoundNodeAsync("web"));
        await Eventually.True(async () => (await EventsAsync("web", "Scheduled")).Count == 1, "Scheduled event", Within);
        var scheduled = (await EventsAsync("web", "Scheduled"))[0];
        Assert.Equal("Successfully assigned default/web to n1", scheduled.Message);
        Assert.Equal("default-scheduler", scheduled.Source?.Component);
    }

    [Fact]
    public async Task RunAsync_ReplicationControllerPodsOnThreeNodes_SpreadTwoTwoOne()
    {
        foreach (var name in new[] { "n1", "n2", "n3" })
        {
            await CreateNodeAsync(Build.Node(name));
        }

        var labels = new Dictionary<string, string> { ["app"] = "web" };
        await Client.CreateAsync(new ReplicationController
        {
            Metadata = new() { Name = "web", Namespace = "default" },
            Spec = new ReplicationControllerSpec
            {
                Replicas = 5,
                Selector = labels,
                Template = new PodTemplateSpec { Metadata = new() { Labels = labels }, Spec = Build.Pod("t").Spec },
            },
        });
        // Spreading counts the RC once the scheduler's informer has it: wait for it before the pods.
        await Eventually.True(() => Informers.InformerFor<ReplicationController>().Lister.Count == 1, "RC in the cache", Within);
        for (var i = 0; i < 5; i++)
        {
            await CreatePodAsync(Build.Pod($"web-{i}", labels: labels));
        }

        var nodes = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            nodes.Add(await BoundNodeAsync($"web-{i}"));
        }

        Assert.Equal([1, 2, 2], nodes.GroupBy(n => n).Select(g => g.Count()).Order());
    }

    [Fact]
    public async Task RunAsync_NoNodeFits_FailedSchedulingEventAndConditionInKubernetesWords()
    {
        await CreateNodeAsync(Build.Node("a", cpu: "1", labels: new() { ["disk"] = "ssd" }));
        await CreateNodeAsync(Build.Node("b", cpu: "1", labels: new() { ["disk"] = "ssd" }));
        await CreateNodeAsync(Build.Node("c", cpu: "8", labels: new() { ["disk"] = "hdd" }));
        await Eventually.True(() => Informers.InformerFor<Node>().Lister.Count == 3, "nodes in the cache", Within);
        var pod = Build.Pod("big", cpu: "2");
        pod.Spec!.NodeSelector = new() { ["disk"] = "ssd" };
        await CreatePodAsync(pod);

        const string message = "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu.";
        await Eventually.True(async () => (await EventsAsync("big", "FailedScheduling")).Count > 0, "FailedScheduling event", Within);
        var failed = (await EventsAsync("big", "FailedScheduling"))[0];
        Assert.Equal(("Warning", message), (failed.Type, failed.Message));
        PodCondition? condition = null;
        await Eventually.True(
            async () => (condition = (await Client.GetAsync<Pod>("default", "big")).Status?.Conditions?.Find(c => c.Type == "PodScheduled")) is not null,
            "PodScheduled condition",
            Within);
        Assert.Equal(("False", "Unschedulable", message), (condition!.Status, condition.Reason, condition.Message));
        Assert.Null((await Client.GetAsync<Pod>("default", "big")).Spec?.NodeName);
    }

    [Fact]
    public async Task RunAsync_NodeFreesUp_PendingPodIsRetriedAndBound()
    {
        await CreateNodeAsync(Build.Node("n1", cpu: "1"));
        await CreatePodAsync(Build.Pod("first", cpu: "1"));
        Assert.Equal("n1", await BoundNodeAsync("first"));
        await CreatePodAsync(Build.Pod("second", cpu: "1"));
        await Eventually.True(() => Scheduler.UnschedulableCount > 0, "second found unschedulable", Within);

        await DeletePodNowAsync("first");

        Assert.Equal("n1", await BoundNodeAsync("second"));
    }

    [Fact]
    public async Task RunAsync_NodeAdded_PendingPodIsRetriedAndBound()
    {
        await CreatePodAsync(Build.Pod("waiting"));
        await Eventually.True(async () => (await EventsAsync("waiting", "FailedScheduling")).Count > 0, "FailedScheduling event", Within);
        Assert.Equal("no nodes available to schedule pods", (await EventsAsync("waiting", "FailedScheduling"))[0].Message);

        await CreateNodeAsync(Build.Node("late"));

        Assert.Equal("late", await BoundNodeAsync("waiting"));
    }

    [Fact]
    public async Task RunAsync_ManyPodsAtOnce_AssumedPodsKeepNodesFromOvercommitting()
    {
        foreach (var name in new[] { "n1", "n2", "n3" })
        {
            await CreateNodeAsync(Build.Node(name, cpu: "1"));
        }

        await Eventually.True(() => Informers.InformerFor<Node>().Lister.Count == 3, "nodes in the cache", Within);
        // 10 pods of 400m: two fit on each 1-CPU node, so exactly 6 are bound, however fast they come.
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => CreatePodAsync(Build.Pod($"p{i}", cpu: "400m"))));

        await Eventually.True(async () => (await NodesOfAsync()).Values.Count(n => n is not null) == 6, "six bound", Within);
        await Eventually.True(() => Scheduler.UnschedulableCount >= 4, "four unschedulable", Within);
        var bound = (await NodesOfAsync()).Values.Where(n => n is not null).ToList();
        Assert.Equal(6, bound.Count);
        Assert.All(bound.GroupBy(n => n), g => Assert.Equal(2, g.Count()));
    }

    [Fact]
    public async Task RunAsync_PodDeletedWhileQueued_IsNeverScheduled()
    {
        await CreatePodAsync(Build.Pod("doomed"));
        await Eventually.True(() => Scheduler.UnschedulableCount > 0, "doomed found unschedulable", Within);
        await DeletePodNowAsync("doomed");
        await Eventually.True(async () => (await NodesOfAsync()).Count == 0, "doomed gone", Within);

        await CreateNodeAsync(Build.Node("n1"));
        await CreatePodAsync(Build.Pod("after"));

        Assert.Equal("n1", await BoundNodeAsync("after"));
        Assert.Equal(1, Scheduler.ScheduledCount);
        Assert.Empty(await EventsAsync("doomed", "Scheduled"));
    }

    [Fact]
    public async Task RunAsync_OtherSchedulerName_IsLeftAlone()
    {
        await CreateNodeAsync(Build.Node("n1"));
        var theirs = Build.Pod("theirs");
        theirs.Spec!.SchedulerName = "my-scheduler";
        await CreatePodAsync(theirs);
        await CreatePodAsync(Build.Pod("ours"));

        Assert.Equal("n1", await BoundNodeAsync("ours"));
        Assert.Null((await NodesOfAsync())["theirs"]);
        Assert.Equal(1, Scheduler.ScheduledCount);
    }
}
