using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Controllers.Tests.Replication;

public sealed class ReplicationManagerClaimTests
{
    [Fact]
    public async Task Relabel_PodLabelledOutOfTheSelector_IsReleasedAndReplacedAndLivesOn()
    {
        await using var h = await ReplicationHarness.StartAsync();
        var rc = await h.CreateRcAsync("web", 2);
        var pods = await h.WaitForOwnedAsync(rc, 2);
        var relabelled = pods[0].Metadata.Name!;

        await h.Client.PatchAsync<Pod>(ReplicationHarness.Namespace, relabelled, PatchType.Merge, """{"metadata":{"labels":{"app":"debug"}}}""");

        await Eventually.True(async () => (await h.Client.GetAsync<Pod>(ReplicationHarness.Namespace, relabelled)).Metadata.OwnerReferences is null or { Count: 0 },
            "the relabelled pod released", ReplicationHarness.Within);
        var owned = await h.WaitForOwnedAsync(rc, 2);
        Assert.DoesNotContain(owned, p => p.Metadata.Name == relabelled);
        var survivor = await h.Client.GetAsync<Pod>(ReplicationHarness.Namespace, relabelled);
        Assert.Null(survivor.Metadata.DeletionTimestamp);
        Assert.Equal("debug", survivor.Metadata.Labels!["app"]);
        Assert.Equal(3, (await h.PodsAsync()).Count);
    }

    [Fact]
    public async Task Adopt_OrphanMatchingTheSelector_IsAdoptedInsteadOfCreatingAnother()
    {
        await using var h = await ReplicationHarness.StartAsync();
        await h.CreatePodAsync("orphan", new() { ["app"] = "web" });

        var rc = await h.CreateRcAsync("web", 2);

        var owned = await h.WaitForOwnedAsync(rc, 2);
        var adopted = Assert.Single(owned, p => p.Metadata.Name == "orphan");
        var owner = Assert.Single(adopted.Metadata.OwnerReferences!);
        Assert.Equal(("ReplicationController", "web", rc.Metadata.Uid, true, true),
            (owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        await h.WaitForStatusAsync("web", s => s.Replicas == 2, "status.replicas 2");
        Assert.Equal(2, (await h.PodsAsync()).Count);
    }

    [Fact]
    public async Task Adopt_OrphanLabelledIntoTheSelectorLater_IsAdoptedAndASurplusPodDeleted()
    {
        await using var h = await ReplicationHarness.StartAsync();
        var rc = await h.CreateRcAsync("web", 1);
        await h.WaitForOwnedAsync(rc, 1);
        await h.CreatePodAsync("stray", new() { ["app"] = "other" });

        await h.Client.PatchAsync<Pod>(ReplicationHarness.Namespace, "stray", PatchType.Merge, """{"metadata":{"labels":{"app":"web"}}}""");

        // Adopted, then one of the two deleted: the newer one goes, both being unscheduled and pending.
        await Eventually.True(async () => (await h.PodsAsync()).Count == 1, "one pod left", ReplicationHarness.Within);
        var left = Assert.Single(await h.WaitForOwnedAsync(rc, 1));
        Assert.Equal(rc.Metadata.Uid, PodOwner(left));
    }

    [Fact]
    public async Task Claim_PodControlledByAnotherController_IsNeverTouched()
    {
        await using var h = await ReplicationHarness.StartAsync();
        var foreign = new OwnerReference
        {
            ApiVersion = "v1", Kind = "ReplicationController", Name = "someone-else", Uid = Guid.NewGuid().ToString(), Controller = true,
        };
        await h.CreatePodAsync("foreign", new() { ["app"] = "web" }, foreign);

        var rc = await h.CreateRcAsync("web", 2);

        await h.WaitForOwnedAsync(rc, 2);
        await h.WaitForStatusAsync("web", s => s.Replicas == 2, "status.replicas 2");
        var untouched = await h.Client.GetAsync<Pod>(ReplicationHarness.Namespace, "foreign");
        Assert.Equal(foreign.Uid, Assert.Single(untouched.Metadata.OwnerReferences!).Uid);
        Assert.Null(untouched.Metadata.DeletionTimestamp);
        Assert.Equal(3, (await h.PodsAsync()).Count);
    }

    private static string? PodOwner(Pod pod) => pod.Metadata.OwnerReferences?.Single(o => o.Controller == true).Uid;
}
