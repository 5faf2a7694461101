using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Clients;

/// <summary>The official C# client (NuGet KubernetesClient) from the written kubeconfig: list, create, patch, watch, delete; core v1 and coordination.k8s.io/v1 Leases.</summary>
public abstract class OfficialClientTests(ITestStoreBackend backend) : ApiServerSuite(backend), IDisposable
{
    private Kubernetes _client = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
    }

    public void Dispose()
    {
        _client.Dispose();
        GC.SuppressFinalize(this);
    }

    private static V1Pod NewPod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "sdk" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx:1.25" }] },
    };

    [Fact]
    public async Task CreateListPatchDelete_RoundTrip()
    {
        var created = await _client.CoreV1.CreateNamespacedPodAsync(NewPod("sdk-1"), "default");
        var listed = await _client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=sdk");
        var patched = await _client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"metadata":{"labels":{"tier":"back"}}}""", V1Patch.PatchType.MergePatch), "sdk-1", "default");
        await _client.CoreV1.DeleteNamespacedPodAsync("sdk-1", "default");
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedPodAsync("sdk-1", "default"));

        Assert.NotNull(created.Metadata.Uid);
        Assert.Equal("Pending", created.Status.Phase);
        Assert.Equal(["sdk-1"], listed.Items.Select(p => p.Metadata.Name));
        Assert.Equal("back", patched.Metadata.Labels["tier"]);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.Response.StatusCode);
    }

    [Fact]
    public async Task Create_Service_GetsClusterIpAndDefaults()
    {
        var service = await _client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "sdk-svc" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "sdk" }, Ports = [new V1ServicePort { Port = 80 }] },
        }, "default");

        Assert.StartsWith("198.19.", service.Spec.ClusterIP, StringComparison.Ordinal);
        Assert.Equal("TCP", service.Spec.Ports[0].Protocol);
        Assert.Equal("80", service.Spec.Ports[0].TargetPort.Value);
        Assert.Equal("None", service.Spec.SessionAffinity);
    }

    [Fact]
    public async Task Watch_SeesCreateAndDelete()
    {
        var list = await _client.CoreV1.ListNamespacedPodAsync("default");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType, string)>();
        var watching = Task.Run(async () =>
        {
            var watch = _client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cancel.Token);
            await foreach (var (type, pod) in watch)
            {
                events.Add((type, pod.Metadata.Name));
                if (type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        }, cancel.Token);

        await Task.Delay(200, cancel.Token);
        await _client.CoreV1.CreateNamespacedPodAsync(NewPod("watched"), "default");
        await _client.CoreV1.DeleteNamespacedPodAsync("watched", "default");
        await watching;

        Assert.Equal([(WatchEventType.Added, "watched"), (WatchEventType.Deleted, "watched")], events);
    }

    [Fact]
    public async Task Create_Duplicate_SurfacesConflictStatus()
    {
        await _client.CoreV1.CreateNamespacedPodAsync(NewPod("dup"), "default");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedPodAsync(NewPod("dup"), "default"));

        Assert.Equal(System.Net.HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Contains("AlreadyExists", error.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lease_CreateReadReplaceList_RoundTrip()
    {
        var renew = new DateTime(2026, 12, 6, 10, 0, 0, DateTimeKind.Utc).AddTicks(1234560);
        var created = await _client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "sdk-lock" },
            Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15, AcquireTime = renew, RenewTime = renew, LeaseTransitions = 0 },
        }, "default");
        var read = await _client.CoordinationV1.ReadNamespacedLeaseAsync("sdk-lock", "default");
        read.Spec.HolderIdentity = "b";
        read.Spec.LeaseTransitions = 1;
        var replaced = await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(read, "sdk-lock", "default");
        created.Spec.HolderIdentity = "c";
        var stale = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoordinationV1.ReplaceNamespacedLeaseAsync(created, "sdk-lock", "default"));
        var listed = await _client.CoordinationV1.ListNamespacedLeaseAsync("default");

        Assert.Equal("coordination.k8s.io/v1", created.ApiVersion);
        Assert.Equal(renew, read.Spec.RenewTime);
        Assert.Equal(("b", 1), (replaced.Spec.HolderIdentity, replaced.Spec.LeaseTransitions));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, stale.Response.StatusCode);
        Assert.Equal(["sdk-lock"], listed.Items.Select(l => l.Metadata.Name));
    }

    [Fact]
    public async Task Lease_Watch_SeesCreateReplaceDelete()
    {
        var list = await _client.CoordinationV1.ListNamespacedLeaseAsync("default");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType, string?)>();
        var watching = Task.Run(async () =>
        {
            var watch = _client.CoordinationV1.WatchListNamespacedLeaseAsync("default", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cancel.Token);
            await foreach (var (type, lease) in watch)
            {
                events.Add((type, lease.Spec?.HolderIdentity));
                if (type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        }, cancel.Token);

        var created = await _client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { Metadata = new V1ObjectMeta { Name = "watched" }, Spec = new V1LeaseSpec { HolderIdentity = "a" } }, "default");
        created.Spec.HolderIdentity = "b";
        await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(created, "watched", "default");
        await _client.CoordinationV1.DeleteNamespacedLeaseAsync("watched", "default");
        await watching;

        Assert.Equal([(WatchEventType.Added, "a"), (WatchEventType.Modified, "b"), (WatchEventType.Deleted, "b")], events);
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class OfficialClientOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : OfficialClientTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class OfficialClientOnEtcdTests(EtcdStoreBackend backend) : OfficialClientTests(backend), IClassFixture<EtcdStoreBackend>;
