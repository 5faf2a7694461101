using KubeProxyFast.Api.Core;
using KubeProxyFast.Controllers.Replication;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Controllers.Tests.Replication;

public sealed class ReplicationManagerScaleTests
{
    [Fact]
    public async Task Sync_NewController_CreatesPodsFromTheTemplateWithControllerReference()
    {
        await using var h = await ReplicationHarness.StartAsync();
        var rc = await h.CreateRcAsync("web", 3, extraTemplateLabels: new() { ["tier"] = "front" }, templateAnnotations: new() { ["note"] = "hi" });

        var pods = await h.WaitForOwnedAsync(rc, 3);

        Assert.All(pods, pod =>
        {
            Assert.Equal("web-", pod.Metadata.GenerateName);
            Assert.StartsWith("web-", pod.Metadata.Name, StringComparison.Ordinal);
            Assert.Equal("web", pod.Metadata.Labels!["app"]);
            Assert.Equal("front", pod.Metadata.Labels["tier"]);
            Assert.Equal("hi", pod.Metadata.Annotations!["note"]);
            var owner = Assert.Single(pod.Metadata.OwnerReferences!);
            Assert.Equal(("v1", "ReplicationController", "web", rc.Metadata.Uid), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));
            Assert.True(owner.Controller);
            Assert.True(owner.BlockOwnerDeletion);
            Assert.Equal("busybox", Assert.Single(pod.Spec!.Containers!).Image);
        });
        Assert.Equal(3, pods.Select(p => p.Metadata.Name).Distinct().Count());
        var status = (await h.WaitForStatusAsync("web", s => s.Replicas == 3, "status.replicas 3")).Status!;
        Assert.Equal(3, status.FullyLabeledReplicas);
        Assert.Equal(0, status.ReadyReplicas ?? 0);
        Assert.Equal(1, status.ObservedGeneration);
    }

    [Fact]
    public async Task Sync_ReplicasChanged_ScalesUpDownAndToZero()
    {
        await using var h = await ReplicationHarness.StartAsync();
        var rc = await h.CreateRcAsync("web", 2);
        await h.WaitForOwnedAsync(rc, 2);

        await h.ScaleAsync("web", 5);
        await h.WaitForOwnedAsync(rc, 5);
        await h.ScaleAsync("web", 1);
        await h.WaitForOwnedAsync(rc, 1);
        await h.ScaleAsync("web", 0);
        await h.WaitForOwnedAsync(rc, 0);

        var final = await h.WaitForStatusAsync("web", s => s.Replicas == 0, "status.replicas 0");
        Assert.Equal(final.Metadata.Generation, final.Status!.ObservedGeneration);
        Assert.Empty(await h.PodsAsync());
    }

    [Fact]
    public async Task Sync_PodsCreatedAndDeleted_RecordsEventsInKubernetesWords()
    {
        await using var h = await ReplicationHarness.StartAsync();
        var rc = await h.CreateRcAsync("web", 2);
        var created = await h.WaitForOwnedAsync(rc, 2);
        await h.ScaleAsync("web", 1);
        var kept = Assert.Single(await h.WaitForOwnedAsync(rc, 1));
        var deleted = created.Single(p => p.Metadata.Name != kept.Metadata.Name).Metadata.Name;

        List<Event> events = [];
        await Eventually.True(async () => (events = await h.EventsAsync(rc)).Count >= 3, "three events", ReplicationHarness.Within);

        var creates = events.Where(e => e.Reason == "SuccessfulCreate").Select(e => e.Message).Order().ToList();
        Assert.Equal(created.Select(p => "Created pod: " + p.Metadata.Name).Order(), creates);
        var delete = Assert.Single(events, e => e.Reason == "SuccessfulDelete");
        Assert.Equal("Deleted pod: " + deleted, delete.Message);
        Assert.All(events, e =>
        {
            Assert.Equal("Normal", e.Type);
            Assert.Equal(ReplicationManager.EventComponent, e.Source!.Component);
            Assert.Equal("ReplicationController", e.InvolvedObject.Kind);
        });
    }

    [Fact]
    public async Task ScaleDown_PodsInEveryState_DeletesTheLeastWorthKeepingFirst()
    {
        await using var h = await ReplicationHarness.StartAsync();
        var rc = await h.CreateRcAsync("web", 5);
        var pods = (await h.WaitForOwnedAsync(rc, 5)).Select(p => p.Metadata.Name!).ToArray();
        // pods[0] stays unscheduled; the others are bound and in ever better states.
        foreach (var name in pods[1..])
        {
            await h.BindAsync(name, "node-1");
        }

        await h.SetPodStatusAsync(pods[1], PodPhases.Pending, ready: false);
        await h.SetPodStatusAsync(pods[2], PodPhases.Running, ready: false);
        await h.SetPodStatusAsync(pods[3], PodPhases.Running, ready: true, DateTimeOffset.UtcNow.AddMinutes(-1), restarts: 3);
        await h.SetPodStatusAsync(pods[4], PodPhases.Running, ready: true, DateTimeOffset.UtcNow.AddMinutes(-1), restarts: 0);
        await h.WaitForStatusAsync("web", s => s.ReadyReplicas == 2, "two ready");

        for (var replicas = 4; replicas >= 1; replicas--)
        {
            await h.ScaleAsync("web", replicas);
            var left = await h.WaitForOwnedAsync(rc, replicas);
            // The pod given up is the one in the worst state: exactly pods[0..5-replicas) are gone.
            Assert.Equal(pods[(5 - replicas)..].Order(), left.Select(p => p.Metadata.Name!).Order());
        }
    }

    [Fact]
    public async Task Sync_ControllerBeingDeleted_CreatesNothing()
    {
        await using var h = await ReplicationHarness.StartAsync();
        await h.CreateRcAsync("web", 0);
        await h.WaitForStatusAsync("web", s => s.ObservedGeneration == 1, "the controller synced");
        // Deleting a v1 RC orphans its pods by default: the orphan finalizer holds it with a
        // deletionTimestamp (no garbage collector runs here to remove the finalizer).
        await h.Client.DeleteAsync<ReplicationController>(ReplicationHarness.Namespace, "web");
        Assert.NotNull((await h.RcAsync("web")).Metadata.DeletionTimestamp);

        await h.ScaleAsync("web", 3);
        // The delete bumped the generation too (Kubernetes' BeforeDelete), so read the one to observe.
        var generation = (await h.RcAsync("web")).Metadata.Generation;
        Assert.Equal(3, generation);

        await h.WaitForStatusAsync("web", s => s.ObservedGeneration == generation, "the new generation observed");
        Assert.Empty(await h.PodsAsync());
    }
}
