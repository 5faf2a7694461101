using System.Collections.Concurrent;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Controllers.Tests.Replication;

public sealed class ReplicationManagerStatusTests
{
    [Fact]
    public async Task Status_PodsBecomeReady_AvailableOnlyAfterMinReadySeconds()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var time = new FakeTimeProvider(start);
        await using var h = await ReplicationHarness.StartAsync(time: time);
        var rc = await h.CreateRcAsync("web", 2, minReadySeconds: 10);
        var pods = await h.WaitForOwnedAsync(rc, 2);

        foreach (var pod in pods)
        {
            await h.SetPodStatusAsync(pod.Metadata.Name!, PodPhases.Running, ready: true, readySince: start);
        }

        var ready = await h.WaitForStatusAsync("web", s => s.ReadyReplicas == 2, "two ready");
        Assert.Equal(0, ready.Status!.AvailableReplicas ?? 0);

        // No pod changes when it becomes available: the manager's own requeue after minReadySeconds shows it.
        time.Advance(TimeSpan.FromSeconds(12));
        var available = await h.WaitForStatusAsync("web", s => s.AvailableReplicas == 2, "two available");
        Assert.Equal((2, 2, 2, 2), (available.Status!.Replicas, available.Status.FullyLabeledReplicas, available.Status.ReadyReplicas, available.Status.AvailableReplicas));
    }

    [Fact]
    public async Task Status_PodMissingATemplateLabel_CountsButNotAsFullyLabeled()
    {
        await using var h = await ReplicationHarness.StartAsync();
        await h.CreatePodAsync("partial", new() { ["app"] = "web" });

        var rc = await h.CreateRcAsync("web", 2, extraTemplateLabels: new() { ["tier"] = "front" });

        await h.WaitForOwnedAsync(rc, 2);
        var status = (await h.WaitForStatusAsync("web", s => s.Replicas == 2 && s.FullyLabeledReplicas == 1, "2 replicas, 1 fully labelled")).Status!;
        Assert.Equal(0, status.ReadyReplicas ?? 0);
    }

    [Fact]
    public async Task Status_SpecChanged_ObservedGenerationFollows()
    {
        await using var h = await ReplicationHarness.StartAsync();
        var rc = await h.CreateRcAsync("web", 1);
        await h.WaitForOwnedAsync(rc, 1);

        await h.ScaleAsync("web", 2);

        var now = await h.WaitForStatusAsync("web", s => s.ObservedGeneration == 2 && s.Replicas == 2, "generation 2 observed with 2 replicas");
        Assert.Equal(2, now.Metadata.Generation);
    }

    [Fact]
    public async Task Status_InactivePods_AreNotCountedAndAreReplaced()
    {
        await using var h = await ReplicationHarness.StartAsync();
        var rc = await h.CreateRcAsync("web", 2);
        var pods = await h.WaitForOwnedAsync(rc, 2);

        var failed = await h.Client.GetAsync<Pod>(ReplicationHarness.Namespace, pods[0].Metadata.Name!);
        failed.Status = new PodStatus { Phase = PodPhases.Failed };
        await h.Client.UpdateStatusAsync(failed);

        // The failed pod stays (nobody deletes it here) but no longer counts: a third is created.
        await Eventually.True(async () => (await h.PodsAsync()).Count == 3, "a replacement", ReplicationHarness.Within);
        await h.WaitForStatusAsync("web", s => s.Replicas == 2, "two active replicas");
    }

    [Fact]
    public async Task Status_Written_OnlyThroughTheStatusSubresourceAndOnlyWhenChanged()
    {
        var writes = new ConcurrentQueue<string>();
        await using var h = await ReplicationHarness.StartAsync(configure: f => f.Answer = request =>
        {
            if (request.Method == HttpMethod.Put && request.RequestUri!.OriginalString.Contains("/replicationcontrollers/", StringComparison.Ordinal))
            {
                writes.Enqueue(request.RequestUri.OriginalString);
            }

            return null;
        });
        var rc = await h.CreateRcAsync("web", 1);
        await h.WaitForOwnedAsync(rc, 1);
        await h.WaitForStatusAsync("web", s => s.Replicas == 1, "one replica");
        var before = writes.Count;

        // Changes that leave the status as it is: the syncs they cause write nothing. Then one
        // that changes the generation, so one write (or two, after a conflict) must follow.
        for (var i = 0; i < 3; i++)
        {
            await h.Client.PatchAsync<ReplicationController>(ReplicationHarness.Namespace, "web", PatchType.Merge,
                "{\"metadata\":{\"labels\":{\"x\":\"" + i + "\"}}}");
        }

        await h.Client.PatchAsync<ReplicationController>(ReplicationHarness.Namespace, "web", PatchType.Merge, """{"spec":{"minReadySeconds":5}}""");
        await h.WaitForStatusAsync("web", s => s.ObservedGeneration == 2, "generation 2 observed");

        Assert.All(writes, w => Assert.EndsWith("/namespaces/default/replicationcontrollers/web/status", w, StringComparison.Ordinal));
        Assert.InRange(writes.Count - before, 1, 2);
    }
}
