using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Controllers.GarbageCollector;
using KubeProxyFast.Testing;
using static KubeProxyFast.Controllers.Tests.GarbageCollector.GarbageCollectorHarness;

namespace KubeProxyFast.Controllers.Tests.GarbageCollector;

/// <summary>The garbage collector against a real apiserver: the three propagation policies, restarts, shared and invalid owners.</summary>
public sealed class GarbageCollectorTests : IAsyncLifetime
{
    private GarbageCollectorHarness _harness = null!;

    private KubeClient Client => _harness.Client;

    public async Task InitializeAsync() => _harness = await StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Delete_ControllerInBackground_DeletesItsPodsOnly()
    {
        var rc = await _harness.CreateControllerAsync("web");
        await _harness.CreatePodAsync("web-1", OwnedBy(rc));
        await _harness.CreatePodAsync("web-2", OwnedBy(rc, block: false));
        await _harness.CreatePodAsync("bystander");

        await Client.DeleteAsync<ReplicationController>("default", "web", new DeleteOptions { PropagationPolicy = PropagationPolicies.Background });

        await _harness.GoneAsync<Pod>("web-1");
        await _harness.GoneAsync<Pod>("web-2");
        Assert.NotNull(await _harness.FindAsync<Pod>("bystander"));
    }

    [Theory]
    [InlineData(PropagationPolicies.Orphan)]
    [InlineData(null)]
    public async Task Delete_ControllerOrphaning_ReleasesItsPodsThenGoes(string? policy)
    {
        // No policy: a v1 replication controller orphans by default. The collector starts once the
        // pods exist, so its caches hold them when the orphan finalizer is handled (a dependent it
        // has not seen yet would later be collected as dangling, in Kubernetes too).
        await _harness.StopCollectorAsync();
        var rc = await _harness.CreateControllerAsync("web");
        await _harness.CreatePodAsync("web-1", OwnedBy(rc));
        await _harness.CreatePodAsync("web-2", OwnedBy(rc));
        await _harness.StartCollectorAsync();

        await Client.DeleteAsync<ReplicationController>("default", "web", policy is null ? null : new DeleteOptions { PropagationPolicy = policy });

        await _harness.GoneAsync<ReplicationController>("web");
        foreach (var name in new[] { "web-1", "web-2" })
        {
            var pod = await _harness.FindAsync<Pod>(name);
            Assert.NotNull(pod);
            Assert.Null(pod.Metadata.OwnerReferences);
        }
    }

    [Fact]
    public async Task Delete_ControllerInForeground_GoesOnlyAfterItsBlockingPods()
    {
        var rc = await _harness.CreateControllerAsync("web");
        await _harness.CreatePodAsync("web-1", OwnedBy(rc));
        await _harness.CreatePodAsync("web-2", OwnedBy(rc));

        var marked = await Client.DeleteAsync<ReplicationController>("default", "web", new DeleteOptions { PropagationPolicy = PropagationPolicies.Foreground });

        Assert.NotNull(marked!.Metadata.DeletionTimestamp);
        Assert.Equal([GarbageCollectionFinalizers.DeleteDependents], marked.Metadata.Finalizers);
        await _harness.GoneAsync<ReplicationController>("web");
        // The owner went last: its blocking dependents were gone before its finalizer was removed.
        Assert.Null(await _harness.FindAsync<Pod>("web-1"));
        Assert.Null(await _harness.FindAsync<Pod>("web-2"));
    }

    [Fact]
    public async Task Delete_ForegroundOwnerOfAnOwner_DeletesTheChainBottomUp()
    {
        // A service owning a controller owning a pod: the controller is deleted in the foreground too.
        var service = await Client.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = "top", Namespace = "default" },
            Spec = new ServiceSpec { Ports = [new ServicePort { Port = 80 }] },
        });
        var rc = await _harness.CreateControllerAsync("middle");
        rc.Metadata.OwnerReferences = [OwnedBy(service)];
        rc = await Client.UpdateAsync(rc);
        await _harness.CreatePodAsync("bottom", OwnedBy(rc));

        await Client.DeleteAsync<Service>("default", "top", new DeleteOptions { PropagationPolicy = PropagationPolicies.Foreground });

        await _harness.GoneAsync<Service>("top");
        Assert.Null(await _harness.FindAsync<ReplicationController>("middle"));
        Assert.Null(await _harness.FindAsync<Pod>("bottom"));
    }

    [Fact]
    public async Task Start_OwnerDeletedWhileStopped_CollectsItsDependents()
    {
        await _harness.StopCollectorAsync();
        var rc = await _harness.CreateControllerAsync("web");
        await _harness.CreatePodAsync("web-1", OwnedBy(rc));
        await Client.DeleteAsync<ReplicationController>("default", "web", new DeleteOptions { PropagationPolicy = PropagationPolicies.Background });
        var orphaning = await _harness.CreateControllerAsync("kept");
        await _harness.CreatePodAsync("kept-1", OwnedBy(orphaning));
        await Client.DeleteAsync<ReplicationController>("default", "kept", new DeleteOptions { PropagationPolicy = PropagationPolicies.Orphan });
        Assert.NotNull(await _harness.FindAsync<Pod>("web-1"));

        await _harness.StartCollectorAsync();

        await _harness.GoneAsync<Pod>("web-1");
        await _harness.GoneAsync<ReplicationController>("kept");
        Assert.Null((await _harness.FindAsync<Pod>("kept-1"))!.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task Delete_OneOfTwoOwners_KeepsTheDependentUntilBothAreGone()
    {
        var first = await _harness.CreateControllerAsync("first");
        var second = await _harness.CreateControllerAsync("second");
        await _harness.CreateConfigMapAsync("shared", OwnedBy(first, block: false), OwnedBy(second, block: false, controller: false));

        await Client.DeleteAsync<ReplicationController>("default", "first", new DeleteOptions { PropagationPolicy = PropagationPolicies.Background });

        // The reference to the absent owner is removed; the dependent stays for the other.
        await Eventually.True(async () => (await _harness.FindAsync<ConfigMap>("shared"))?.Metadata.OwnerReferences?.Count == 1,
            "the reference to the deleted owner to be removed", TimeSpan.FromSeconds(10));
        Assert.Equal(second.Metadata.Uid, (await _harness.FindAsync<ConfigMap>("shared"))!.Metadata.OwnerReferences![0].Uid);

        await Client.DeleteAsync<ReplicationController>("default", "second", new DeleteOptions { PropagationPolicy = PropagationPolicies.Background });

        await _harness.GoneAsync<ConfigMap>("shared");
    }

    [Fact]
    public async Task Owner_RecreatedUnderTheSameName_DoesNotKeepTheOldOnesDependents()
    {
        var rc = await _harness.CreateControllerAsync("web");
        await _harness.StopCollectorAsync();
        await _harness.CreatePodAsync("web-1", OwnedBy(rc));
        await Client.DeleteAsync<ReplicationController>("default", "web", new DeleteOptions { PropagationPolicy = PropagationPolicies.Background });
        await _harness.CreateControllerAsync("web");

        await _harness.StartCollectorAsync();

        // The name is taken again, by another uid: the owner of web-1 is absent.
        await _harness.GoneAsync<Pod>("web-1");
        Assert.NotNull(await _harness.FindAsync<ReplicationController>("web"));
    }

    [Fact]
    public async Task Dependent_OwnedByUnservedKind_IsLeftAloneWithAReason()
    {
        await _harness.CreateConfigMapAsync("odd", new OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "rs", Uid = "7d1bb1b6-0000-4000-8000-000000000001" });

        await Eventually.True(() => _harness.Logs.Messages.Any(m => m.Contains("leaving ConfigMap default/odd", StringComparison.Ordinal)
            && m.Contains("apps/v1 ReplicaSet rs, a kind this server does not serve", StringComparison.Ordinal)), "the reason to be logged");
        Assert.NotNull(await _harness.FindAsync<ConfigMap>("odd"));
    }

    [Fact]
    public async Task Dependent_OwnedFromAnotherNamespace_IsLeftAloneWithAReason()
    {
        await Client.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "other" } });
        var elsewhere = await _harness.CreateControllerAsync("elsewhere", "other");
        // The collector has seen the owner in its own namespace before the dependent names it from this one.
        await Eventually.True(() => _harness.Collector.HasObserved(elsewhere.Metadata.Uid!), "the collector to observe the owner");

        await _harness.CreateConfigMapAsync("cross", OwnedBy(elsewhere));

        await Eventually.True(() => _harness.Logs.Messages.Any(m => m.Contains("leaving ConfigMap default/cross", StringComparison.Ordinal)
            && m.Contains("is in namespace other", StringComparison.Ordinal)), "the reason to be logged");
        Assert.NotNull(await _harness.FindAsync<ConfigMap>("cross"));
    }

    [Fact]
    public async Task Delete_Node_CollectsItsLease()
    {
        var node = await Client.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "gone" } });
        await Client.CreateAsync(new Lease
        {
            Metadata = new ObjectMeta { Name = "gone", Namespace = "kube-node-lease", OwnerReferences = [OwnedBy(node, block: false, controller: false)] },
            Spec = new LeaseSpec { HolderIdentity = "gone" },
        });
        await Eventually.True(() => _harness.Collector.HasObserved(node.Metadata.Uid!), "the collector to observe the node");

        await Client.DeleteAsync<Node>(null, "gone");

        await _harness.GoneAsync<Lease>("gone", "kube-node-lease");
    }

    [Fact]
    public void Resources_EveryServedKind_CanBeResolvedAsAnOwner()
    {
        using var client = new KubeClient(new Uri("http://127.0.0.1:9"));

        Assert.Empty(new GcResources(client).UnknownServedKinds());
    }
}
