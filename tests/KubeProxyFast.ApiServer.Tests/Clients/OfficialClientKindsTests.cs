using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeProxyFast.ApiServer.Tests.Clients;

/// <summary>
/// Every served kind through the official C# client's typed API (NuGet KubernetesClient): create,
/// read, list by label, patch of each type (JSON patch, merge, strategic merge), replace (and a
/// stale one), delete, and a watch from before the create that sees it all.
/// </summary>
public sealed class OfficialClientKindsTests(ClassApiServer fixture) : IClassFixture<ClassApiServer>, IDisposable
{
    private readonly Kubernetes _client = new(KubernetesClientConfiguration.BuildConfigFromConfigFile(fixture.Server.KubeconfigPath));

    public void Dispose() => _client.Dispose();

    /// <summary>The typed calls of one kind, in one namespace (ignored by cluster-scoped kinds).</summary>
    private sealed record Ops<T>(
        Func<T, Task<T>> Create,
        Func<string, Task<T>> Read,
        Func<string?, Task<(string ResourceVersion, IEnumerable<T> Items)>> List,
        Func<V1Patch, string, Task<T>> Patch,
        Func<T, string, Task<T>> Replace,
        Func<string, Task> Delete,
        Func<string, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> Watch)
        where T : IKubernetesObject<V1ObjectMeta>;

    private static V1ObjectMeta Meta(string name) => new() { Name = name, Labels = new Dictionary<string, string> { ["app"] = "sdk" } };

    [Fact]
    public async Task NamespacedKinds_EveryVerb_RoundTrip()
    {
        var ns = await fixture.NewNamespaceAsync("sdk");
        var core = _client.CoreV1;

        await ExerciseAsync(new Ops<V1Pod>(
            o => core.CreateNamespacedPodAsync(o, ns), n => core.ReadNamespacedPodAsync(n, ns),
            async l => { var r = await core.ListNamespacedPodAsync(ns, labelSelector: l); return (r.Metadata.ResourceVersion, r.Items); },
            (p, n) => core.PatchNamespacedPodAsync(p, n, ns), (o, n) => core.ReplaceNamespacedPodAsync(o, n, ns), n => core.DeleteNamespacedPodAsync(n, ns),
            (rv, c) => core.WatchListNamespacedPodAsync(ns, resourceVersion: rv, cancellationToken: c)),
            new V1Pod { Metadata = Meta("sdk-pod"), Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx:1.25" }] } });
        await ExerciseAsync(new Ops<V1ReplicationController>(
            o => core.CreateNamespacedReplicationControllerAsync(o, ns), n => core.ReadNamespacedReplicationControllerAsync(n, ns),
            async l => { var r = await core.ListNamespacedReplicationControllerAsync(ns, labelSelector: l); return (r.Metadata.ResourceVersion, r.Items); },
            (p, n) => core.PatchNamespacedReplicationControllerAsync(p, n, ns), (o, n) => core.ReplaceNamespacedReplicationControllerAsync(o, n, ns),
            // Background: the kind's default is Orphan, which waits for a garbage collector this apiserver alone does not run.
            n => core.DeleteNamespacedReplicationControllerAsync(n, ns, propagationPolicy: "Background"),
            (rv, c) => core.WatchListNamespacedReplicationControllerAsync(ns, resourceVersion: rv, cancellationToken: c)),
            new V1ReplicationController
            {
                Metadata = Meta("sdk-rc"),
                Spec = new V1ReplicationControllerSpec
                {
                    Replicas = 0,
                    Selector = new Dictionary<string, string> { ["app"] = "sdk-rc" },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "sdk-rc" } },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "php:8" }] },
                    },
                },
            });
        await ExerciseAsync(new Ops<V1Service>(
            o => core.CreateNamespacedServiceAsync(o, ns), n => core.ReadNamespacedServiceAsync(n, ns),
            async l => { var r = await core.ListNamespacedServiceAsync(ns, labelSelector: l); return (r.Metadata.ResourceVersion, r.Items); },
            (p, n) => core.PatchNamespacedServiceAsync(p, n, ns), (o, n) => core.ReplaceNamespacedServiceAsync(o, n, ns), n => core.DeleteNamespacedServiceAsync(n, ns),
            (rv, c) => core.WatchListNamespacedServiceAsync(ns, resourceVersion: rv, cancellationToken: c)),
            new V1Service { Metadata = Meta("sdk-svc"), Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "sdk" }, Ports = [new V1ServicePort { Port = 80 }] } });
        await ExerciseAsync(new Ops<V1Endpoints>(
            o => core.CreateNamespacedEndpointsAsync(o, ns), n => core.ReadNamespacedEndpointsAsync(n, ns),
            async l => { var r = await core.ListNamespacedEndpointsAsync(ns, labelSelector: l); return (r.Metadata.ResourceVersion, r.Items); },
            (p, n) => core.PatchNamespacedEndpointsAsync(p, n, ns), (o, n) => core.ReplaceNamespacedEndpointsAsync(o, n, ns), n => core.DeleteNamespacedEndpointsAsync(n, ns),
            (rv, c) => core.WatchListNamespacedEndpointsAsync(ns, resourceVersion: rv, cancellationToken: c)),
            new V1Endpoints { Metadata = Meta("sdk-ep"), Subsets = [new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "198.18.0.10" }], Ports = [new Corev1EndpointPort { Port = 80 }] }] });
        await ExerciseAsync(new Ops<Corev1Event>(
            o => core.CreateNamespacedEventAsync(o, ns), n => core.ReadNamespacedEventAsync(n, ns),
            async l => { var r = await core.ListNamespacedEventAsync(ns, labelSelector: l); return (r.Metadata.ResourceVersion, r.Items); },
            (p, n) => core.PatchNamespacedEventAsync(p, n, ns), (o, n) => core.ReplaceNamespacedEventAsync(o, n, ns), n => core.DeleteNamespacedEventAsync(n, ns),
            (rv, c) => core.WatchListNamespacedEventAsync(ns, resourceVersion: rv, cancellationToken: c)),
            new Corev1Event { Metadata = Meta("sdk-ev"), InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "p", NamespaceProperty = ns }, Reason = "Tested", Message = "hello", Type = "Normal" });
        await ExerciseAsync(new Ops<V1ConfigMap>(
            o => core.CreateNamespacedConfigMapAsync(o, ns), n => core.ReadNamespacedConfigMapAsync(n, ns),
            async l => { var r = await core.ListNamespacedConfigMapAsync(ns, labelSelector: l); return (r.Metadata.ResourceVersion, r.Items); },
            (p, n) => core.PatchNamespacedConfigMapAsync(p, n, ns), (o, n) => core.ReplaceNamespacedConfigMapAsync(o, n, ns), n => core.DeleteNamespacedConfigMapAsync(n, ns),
            (rv, c) => core.WatchListNamespacedConfigMapAsync(ns, resourceVersion: rv, cancellationToken: c)),
            new V1ConfigMap { Metadata = Meta("sdk-cm"), Data = new Dictionary<string, string> { ["k"] = "v" } });
        await ExerciseAsync(new Ops<V1Secret>(
            o => core.CreateNamespacedSecretAsync(o, ns), n => core.ReadNamespacedSecretAsync(n, ns),
            async l => { var r = await core.ListNamespacedSecretAsync(ns, labelSelector: l); return (r.Metadata.ResourceVersion, r.Items); },
            (p, n) => core.PatchNamespacedSecretAsync(p, n, ns), (o, n) => core.ReplaceNamespacedSecretAsync(o, n, ns), n => core.DeleteNamespacedSecretAsync(n, ns),
            (rv, c) => core.WatchListNamespacedSecretAsync(ns, resourceVersion: rv, cancellationToken: c)),
            new V1Secret { Metadata = Meta("sdk-secret"), Data = new Dictionary<string, byte[]> { ["k"] = "v"u8.ToArray() } });
        var coordination = _client.CoordinationV1;
        await ExerciseAsync(new Ops<V1Lease>(
            o => coordination.CreateNamespacedLeaseAsync(o, ns), n => coordination.ReadNamespacedLeaseAsync(n, ns),
            async l => { var r = await coordination.ListNamespacedLeaseAsync(ns, labelSelector: l); return (r.Metadata.ResourceVersion, r.Items); },
            (p, n) => coordination.PatchNamespacedLeaseAsync(p, n, ns), (o, n) => coordination.ReplaceNamespacedLeaseAsync(o, n, ns),
            n => coordination.DeleteNamespacedLeaseAsync(n, ns),
            (rv, c) => coordination.WatchListNamespacedLeaseAsync(ns, resourceVersion: rv, cancellationToken: c)),
            new V1Lease { Metadata = Meta("sdk-lease"), Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15 } });
    }

    [Fact]
    public async Task ClusterScopedKinds_EveryVerb_RoundTrip()
    {
        var prefix = await fixture.NewNamespaceAsync("sdk-cluster");
        var core = _client.CoreV1;

        await ExerciseAsync(new Ops<V1Node>(
            o => core.CreateNodeAsync(o), n => core.ReadNodeAsync(n),
            async l => { var r = await core.ListNodeAsync(labelSelector: l); return (r.Metadata.ResourceVersion, r.Items); },
            (p, n) => core.PatchNodeAsync(p, n), (o, n) => core.ReplaceNodeAsync(o, n), n => core.DeleteNodeAsync(n),
            (rv, c) => core.WatchListNodeAsync(resourceVersion: rv, cancellationToken: c)),
            new V1Node { Metadata = Meta(prefix + "-node") });
        await ExerciseAsync(new Ops<V1Namespace>(
            o => core.CreateNamespaceAsync(o), n => core.ReadNamespaceAsync(n),
            async l => { var r = await core.ListNamespaceAsync(labelSelector: l); return (r.Metadata.ResourceVersion, r.Items); },
            (p, n) => core.PatchNamespaceAsync(p, n), (o, n) => core.ReplaceNamespaceAsync(o, n), n => core.DeleteNamespaceAsync(n),
            (rv, c) => core.WatchListNamespaceAsync(resourceVersion: rv, cancellationToken: c)),
            new V1Namespace { Metadata = Meta(prefix + "-ns") });
    }

    /// <summary>Runs every verb on one kind and checks what the client decoded; the watch from before the create must replay it all.</summary>
    private static async Task ExerciseAsync<T>(Ops<T> ops, T obj)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var name = obj.Metadata.Name;
        var (start, _) = await ops.List(null);

        var created = await ops.Create(obj);
        var duplicate = await Assert.ThrowsAsync<HttpOperationException>(() => ops.Create(obj));
        var read = await ops.Read(name);
        var (_, listed) = await ops.List("app=sdk");
        await ops.Patch(new V1Patch("""[{"op":"add","path":"/metadata/labels/json","value":"1"}]""", V1Patch.PatchType.JsonPatch), name);
        await ops.Patch(new V1Patch("""{"metadata":{"labels":{"merge":"1"}}}""", V1Patch.PatchType.MergePatch), name);
        var patched = await ops.Patch(new V1Patch("""{"metadata":{"labels":{"strategic":"1"}}}""", V1Patch.PatchType.StrategicMergePatch), name);
        patched.Metadata.Labels["replaced"] = "1";
        var replaced = await ops.Replace(patched, name);
        var stale = await Assert.ThrowsAsync<HttpOperationException>(() => ops.Replace(patched, name));
        await ops.Delete(name);
        var events = new List<WatchEventType>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var (type, o) in ops.Watch(start, timeout.Token))
        {
            if (o.Metadata.Name == name)
            {
                events.Add(type);
                if (type == WatchEventType.Deleted)
                {
                    break;
                }
            }
        }

        var kind = typeof(T).Name;
        Assert.Equal(obj.Kind ?? created.Kind, created.Kind);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid), kind);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, duplicate.Response.StatusCode);
        Assert.Contains("\"reason\":\"AlreadyExists\"", duplicate.Response.Content, StringComparison.Ordinal);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Contains(name, listed.Select(o => o.Metadata.Name));
        Assert.Equal(["app", "json", "merge", "replaced", "strategic"], replaced.Metadata.Labels.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, stale.Response.StatusCode);
        Assert.Equal(WatchEventType.Added, events[0]);
        Assert.Equal(WatchEventType.Deleted, events[^1]);
        Assert.True(events.Count(e => e == WatchEventType.Modified) >= 4, kind + ": " + string.Join(",", events));
    }
}
