using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Controllers.Endpoints;
using KubeProxyFast.Testing;
using V1Endpoints = KubeProxyFast.Api.Core.Endpoints;

namespace KubeProxyFast.Controllers.Tests.Endpoints;

public sealed class EndpointsControllerTests : EndpointsControllerTestBase
{
    [Fact]
    public async Task Sync_ReadyAndNotReadyPods_ListedApartWithTargetRefAndNodeName()
    {
        await StartControllerAsync();
        await CreateServiceAsync("web", App("web"), [Port("http", 80, IntOrString.FromInt(8080))]);
        var ready = await CreatePodAsync("web-1", App("web"), nodeName: "n1");
        await CreatePodAsync("web-2", App("web"), nodeName: "n2");
        await CreatePodAsync("other", App("other"));
        await CreatePodAsync("no-ip", App("web"));
        await SetPodStatusAsync("web-1", "198.18.0.1", ready: true);
        await SetPodStatusAsync("web-2", "198.18.0.2", ready: false);
        await SetPodStatusAsync("other", "198.18.0.3", ready: true);

        var endpoints = await WaitForEndpointsAsync("web", e => Describe(e) == "ready[198.18.0.1] notReady[198.18.0.2] ports[http:8080/TCP]", "one ready and one not-ready address");

        var address = Assert.Single(endpoints.Subsets![0].Addresses!);
        Assert.Equal("n1", address.NodeName);
        Assert.Null(address.Hostname);
        Assert.Equal("Pod", address.TargetRef!.Kind);
        Assert.Equal("default", address.TargetRef.Namespace);
        Assert.Equal("web-1", address.TargetRef.Name);
        Assert.Equal(ready.Metadata.Uid, address.TargetRef.Uid);
        Assert.Equal("n2", Assert.Single(endpoints.Subsets[0].NotReadyAddresses!).NodeName);
    }

    [Fact]
    public async Task Sync_NamedTargetPort_ResolvedPerPodAndPodWithoutTheNameLeftOutOfThatPort()
    {
        await StartControllerAsync();
        await CreateServiceAsync("web", App("web"), [Port("http", 80, IntOrString.FromString("http")), Port("metrics", 9100, IntOrString.FromInt(9100))]);
        await CreatePodAsync("a", App("web"), new Dictionary<string, int> { ["http"] = 8080 });
        await CreatePodAsync("b", App("web"), new Dictionary<string, int> { ["http"] = 9090 });
        await CreatePodAsync("c", App("web"), new Dictionary<string, int> { ["admin"] = 8080 });
        await SetPodStatusAsync("a", "198.18.0.1", ready: true);
        await SetPodStatusAsync("b", "198.18.0.2", ready: true);
        await SetPodStatusAsync("c", "198.18.0.3", ready: true);

        // a and b differ in their http port, so each has a subset; every pod offers metrics 9100 on its own subset.
        await WaitForEndpointsAsync(
            "web",
            e => Describe(e) == "ready[198.18.0.1] notReady[] ports[http:8080/TCP] | ready[198.18.0.2] notReady[] ports[http:9090/TCP] | ready[198.18.0.1,198.18.0.2,198.18.0.3] notReady[] ports[metrics:9100/TCP]",
            "http resolved per pod, c only under metrics");
    }

    [Fact]
    public async Task Sync_SeveralPortsAndProtocols_OneSubsetWithEveryPort()
    {
        await StartControllerAsync();
        await CreateServiceAsync("dns", App("dns"), [Port("dns-tcp", 53, IntOrString.FromInt(5353)), Port("dns", 53, IntOrString.FromInt(5353), "UDP")]);
        await CreatePodAsync("d1", App("dns"));
        await CreatePodAsync("d2", App("dns"));
        await SetPodStatusAsync("d2", "198.18.0.12", ready: true);
        await SetPodStatusAsync("d1", "198.18.0.11", ready: true);

        await WaitForEndpointsAsync(
            "dns", e => Describe(e) == "ready[198.18.0.11,198.18.0.12] notReady[] ports[dns:5353/UDP,dns-tcp:5353/TCP]", "both pods under both ports, sorted");
    }

    [Fact]
    public async Task Sync_ReadinessFlips_AddressMovesBetweenAddressesAndNotReadyAddresses()
    {
        await StartControllerAsync();
        await CreateServiceAsync("web", App("web"), [Port(null, 80)]);
        await CreatePodAsync("p", App("web"));
        await SetPodStatusAsync("p", "198.18.0.1", ready: false);
        await WaitForEndpointsAsync("web", e => Describe(e) == "ready[] notReady[198.18.0.1] ports[:80/TCP]", "not ready");

        await SetPodStatusAsync("p", "198.18.0.1", ready: true);
        await WaitForEndpointsAsync("web", e => Describe(e) == "ready[198.18.0.1] notReady[] ports[:80/TCP]", "ready");

        await SetPodStatusAsync("p", "198.18.0.1", ready: false);
        await WaitForEndpointsAsync("web", e => Describe(e) == "ready[] notReady[198.18.0.1] ports[:80/TCP]", "not ready again");
    }

    [Fact]
    public async Task Sync_PublishNotReadyAddresses_NotReadyAndTerminatingPodsUnderAddresses()
    {
        await StartControllerAsync();
        await CreateServiceAsync("peers", App("db"), [Port("peer", 7000)], publishNotReady: true);
        await CreatePodAsync("db-0", App("db"), nodeName: "n1");
        await CreatePodAsync("db-1", App("db"), nodeName: "n1");
        await SetPodStatusAsync("db-0", "198.18.0.1", ready: false);
        await SetPodStatusAsync("db-1", "198.18.0.2", ready: true);
        await WaitForEndpointsAsync("peers", e => Describe(e) == "ready[198.18.0.1,198.18.0.2] notReady[] ports[peer:7000/TCP]", "both under addresses");

        var deleting = await Client.DeleteAsync<Pod>("default", "db-0");
        Assert.NotNull(deleting?.Metadata.DeletionTimestamp);
        await CreatePodAsync("db-2", App("db"), nodeName: "n1");
        await SetPodStatusAsync("db-2", "198.18.0.3", ready: false);

        // db-2's sync comes after db-0's deletion: the terminating pod is still published.
        await WaitForEndpointsAsync("peers", e => Describe(e) == "ready[198.18.0.1,198.18.0.2,198.18.0.3] notReady[] ports[peer:7000/TCP]", "terminating db-0 kept");
    }

    [Fact]
    public async Task Sync_TerminatingOrTerminalPod_DropsOut()
    {
        await StartControllerAsync();
        await CreateServiceAsync("web", App("web"), [Port(null, 80)]);
        await CreatePodAsync("stays", App("web"), nodeName: "n1");
        await CreatePodAsync("goes", App("web"), nodeName: "n1");
        await CreatePodAsync("fails", App("web"), nodeName: "n1");
        await SetPodStatusAsync("stays", "198.18.0.1", ready: true);
        await SetPodStatusAsync("goes", "198.18.0.2", ready: true);
        await SetPodStatusAsync("fails", "198.18.0.3", ready: true);
        await WaitForEndpointsAsync("web", e => Describe(e) == "ready[198.18.0.1,198.18.0.2,198.18.0.3] notReady[] ports[:80/TCP]", "three ready");

        var deleting = await Client.DeleteAsync<Pod>("default", "goes");
        Assert.NotNull(deleting?.Metadata.DeletionTimestamp);
        await WaitForEndpointsAsync("web", e => Describe(e) == "ready[198.18.0.1,198.18.0.3] notReady[] ports[:80/TCP]", "the terminating pod gone");

        // Still Ready=True, but Failed: its containers will not run again.
        await SetPodStatusAsync("fails", "198.18.0.3", ready: true, phase: PodPhases.Failed);
        await WaitForEndpointsAsync("web", e => Describe(e) == "ready[198.18.0.1] notReady[] ports[:80/TCP]", "the failed pod gone");
    }

    [Fact]
    public async Task Sync_SelectorChanged_EndpointsFollowTheNewSelector()
    {
        await StartControllerAsync();
        await CreateServiceAsync("web", App("blue"), [Port(null, 80)]);
        await CreatePodAsync("blue", App("blue"));
        await CreatePodAsync("green", App("green"));
        await SetPodStatusAsync("blue", "198.18.0.1", ready: true);
        await SetPodStatusAsync("green", "198.18.0.2", ready: true);
        await WaitForEndpointsAsync("web", e => Describe(e) == "ready[198.18.0.1] notReady[] ports[:80/TCP]", "blue");

        var service = await Client.GetAsync<Service>("default", "web");
        service.Spec!.Selector = App("green");
        await Client.UpdateAsync(service);

        await WaitForEndpointsAsync("web", e => Describe(e) == "ready[198.18.0.2] notReady[] ports[:80/TCP]", "green");
    }

    [Fact]
    public async Task Sync_PodRelabelled_LeavesOneServiceAndJoinsAnother()
    {
        await StartControllerAsync();
        await CreateServiceAsync("blue", App("blue"), [Port(null, 80)]);
        await CreateServiceAsync("green", App("green"), [Port(null, 80)]);
        await CreatePodAsync("p", App("blue"));
        await SetPodStatusAsync("p", "198.18.0.1", ready: true);
        await WaitForEndpointsAsync("blue", e => Describe(e) == "ready[198.18.0.1] notReady[] ports[:80/TCP]", "p in blue");

        var pod = await Client.GetAsync<Pod>("default", "p");
        pod.Metadata.Labels = App("green");
        await Client.UpdateAsync(pod);

        await WaitForEndpointsAsync("green", e => Describe(e) == "ready[198.18.0.1] notReady[] ports[:80/TCP]", "p in green");
        await WaitForEndpointsAsync("blue", e => Describe(e) == "", "blue empty");
    }

    [Fact]
    public async Task Sync_ServiceDeleted_EndpointsDeleted()
    {
        await StartControllerAsync();
        await CreateServiceAsync("web", App("web"), [Port(null, 80)]);
        await WaitForEndpointsAsync("web", _ => true, "endpoints created for a service without pods");

        await Client.DeleteAsync<Service>("default", "web");

        await Eventually.True(async () => await TryGetEndpointsAsync("web") is null, "endpoints deleted", Within);
    }

    [Fact]
    public async Task Start_EndpointsWithoutService_DeletedButLeaderElectionRecordKept()
    {
        await Client.CreateAsync(UserEndpoints("orphan", "198.18.0.9"));
        var leader = UserEndpoints("old-leader", "198.18.0.8");
        leader.Metadata.Annotations = new() { ["control-plane.alpha.kubernetes.io/leader"] = "{}" };
        await Client.CreateAsync(leader);

        await StartControllerAsync();

        await Eventually.True(async () => await TryGetEndpointsAsync("orphan") is null, "orphan endpoints deleted", Within);
        Assert.NotNull(await TryGetEndpointsAsync("old-leader"));
        Assert.NotNull(await Client.GetAsync<V1Endpoints>("default", "kubernetes"));
    }

    [Fact]
    public async Task Sync_ServiceWithoutSelector_UserEndpointsUntouched()
    {
        await CreateServiceAsync("external", null, [Port(null, 80)]);
        var written = await Client.CreateAsync(UserEndpoints("external", "198.18.0.9"));
        await CreateServiceAsync("probe", App("probe"), [Port(null, 80)]);
        // One worker: syncs run in the order their changes were queued.
        await StartControllerAsync(new EndpointsOptions { ConcurrentEndpointSyncs = 1 });
        await WaitForEndpointsAsync("probe", _ => true, "the probe service synced");

        var service = await Client.GetAsync<Service>("default", "external");
        service.Metadata.Labels = App("changed");
        await Client.UpdateAsync(service);
        await CreatePodAsync("probe", App("probe"));
        await SetPodStatusAsync("probe", "198.18.0.1", ready: true);
        await WaitForEndpointsAsync("probe", e => Describe(e) == "ready[198.18.0.1] notReady[] ports[:80/TCP]", "the probe synced after the external service");

        var after = await Client.GetAsync<V1Endpoints>("default", "external");
        Assert.Equal(written.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal("198.18.0.9", after.Subsets![0].Addresses![0].Ip);
    }

    [Fact]
    public async Task Sync_NothingChanged_EndpointsNotRewritten()
    {
        await CreateServiceAsync("web", App("web"), [Port(null, 80)]);
        await CreateServiceAsync("probe", App("probe"), [Port(null, 80)]);
        await CreatePodAsync("w", App("web"));
        await SetPodStatusAsync("w", "198.18.0.1", ready: true);
        await StartControllerAsync(new EndpointsOptions { ConcurrentEndpointSyncs = 1 });
        var first = await WaitForEndpointsAsync("web", e => Describe(e) == "ready[198.18.0.1] notReady[] ports[:80/TCP]", "web synced");
        await WaitForEndpointsAsync("probe", _ => true, "probe synced");

        // A service update queues a sync of web; a pod status change (which queues nothing) and the probe's change follow it.
        var service = await Client.GetAsync<Service>("default", "web");
        service.Metadata.Annotations = new() { ["note"] = "touched" };
        await Client.UpdateAsync(service);
        var pod = await Client.GetAsync<Pod>("default", "w");
        pod.Metadata.Annotations = new() { ["note"] = "touched" };
        await Client.UpdateAsync(pod);
        await CreatePodAsync("probe", App("probe"));
        await SetPodStatusAsync("probe", "198.18.0.2", ready: true);
        await WaitForEndpointsAsync("probe", e => Describe(e) == "ready[198.18.0.2] notReady[] ports[:80/TCP]", "probe synced after web");

        var after = await Client.GetAsync<V1Endpoints>("default", "web");
        Assert.Equal(first.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Sync_HostnameWithSubdomainOfTheService_HostnameSet()
    {
        await StartControllerAsync();
        await CreateServiceAsync("db", App("db"), [Port(null, 5432)], clusterIP: "None", labels: new() { ["tier"] = "data" });
        await CreatePodAsync("db-0", App("db"), hostname: "db-0", subdomain: "db");
        await CreatePodAsync("db-1", App("db"), hostname: "db-1", subdomain: "elsewhere");
        await SetPodStatusAsync("db-0", "198.18.0.1", ready: true);
        await SetPodStatusAsync("db-1", "198.18.0.2", ready: true);

        var endpoints = await WaitForEndpointsAsync("db", e => Describe(e) == "ready[198.18.0.1,198.18.0.2] notReady[] ports[:5432/TCP]", "both pods");

        Assert.Equal("db-0", endpoints.Subsets![0].Addresses![0].Hostname);
        Assert.Null(endpoints.Subsets[0].Addresses![1].Hostname);
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "data", [EndpointsController.HeadlessServiceLabel] = "" }, endpoints.Metadata.Labels);
    }

    [Fact]
    public async Task Sync_HeadlessServiceWithoutPorts_AddressesWithoutPorts()
    {
        await StartControllerAsync();
        await CreateServiceAsync("bare", App("bare"), [], clusterIP: "None");
        await CreatePodAsync("b", App("bare"));
        await SetPodStatusAsync("b", "198.18.0.1", ready: true);

        await WaitForEndpointsAsync("bare", e => Describe(e) == "ready[198.18.0.1] notReady[] ports[]", "the address alone");
    }

    [Fact]
    public async Task Sync_LastChangeTriggerTime_ServiceCreationThenReadyTransition()
    {
        await StartControllerAsync();
        var service = await CreateServiceAsync("web", App("web"), [Port(null, 80)], labels: new() { ["team"] = "edge" });
        var created = await WaitForEndpointsAsync("web", _ => true, "endpoints created");
        Assert.Equal(TriggerTimeTracker.Format(service.Metadata.CreationTimestamp!.Value), created.Metadata.Annotations![EndpointsController.LastChangeTriggerTimeAnnotation]);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "edge" }, created.Metadata.Labels);

        await CreatePodAsync("p", App("web"));
        var pod = await SetPodStatusAsync("p", "198.18.0.1", ready: true);
        var transition = pod.Status!.Conditions!.Single(c => c.Type == PodConditionTypes.Ready).LastTransitionTime!.Value;

        var updated = await WaitForEndpointsAsync("web", e => Describe(e) == "ready[198.18.0.1] notReady[] ports[:80/TCP]", "the pod listed");
        Assert.Equal(TriggerTimeTracker.Format(transition), updated.Metadata.Annotations![EndpointsController.LastChangeTriggerTimeAnnotation]);
    }

    [Fact]
    public async Task Sync_EndpointsDeletedByHand_Recreated()
    {
        await StartControllerAsync();
        await CreateServiceAsync("web", App("web"), [Port(null, 80)]);
        await CreatePodAsync("p", App("web"));
        await SetPodStatusAsync("p", "198.18.0.1", ready: true);
        var first = await WaitForEndpointsAsync("web", e => Describe(e) == "ready[198.18.0.1] notReady[] ports[:80/TCP]", "listed");

        await Client.DeleteAsync<V1Endpoints>("default", "web");

        await WaitForEndpointsAsync("web", e => e.Metadata.Uid != first.Metadata.Uid && Describe(e) == "ready[198.18.0.1] notReady[] ports[:80/TCP]", "recreated");
    }

    private static V1Endpoints UserEndpoints(string name, string ip) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Subsets = [new EndpointSubset { Addresses = [new EndpointAddress { Ip = ip }], Ports = [new EndpointPort { Port = 80, Protocol = "TCP" }] }],
    };
}
