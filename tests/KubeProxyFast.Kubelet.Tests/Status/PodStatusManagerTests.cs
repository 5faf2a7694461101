using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Kubelet.Pods.Status;
using KubeProxyFast.Testing;
using static KubeProxyFast.Kubelet.Tests.Status.StatusFixtures;

namespace KubeProxyFast.Kubelet.Tests.Status;

/// <summary>The status manager against a real in-process apiserver.</summary>
public sealed class PodStatusManagerTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private readonly PodStatusBuilder _builder = new();
    private readonly FakeProbeResults _probes = new();
    private readonly CancellationTokenSource _stop = new();
    private TestApiServer _server = null!;
    private KubeClient _client = null!;
    private PodStatusManager _manager = null!;
    private Task _running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new KubeClient(_server.Url);
        // One writer: writes happen in the order queued, so a later pod's write is a barrier for earlier ones.
        _manager = new PodStatusManager(_client, maxInFlight: 1);
        _running = _manager.RunAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _manager.Dispose();
        await _running;
        _client.Dispose();
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task SetPodStatus_Unchanged_WrittenOnce()
    {
        var pod = await CreatePodAsync("once");
        var barrier = await CreatePodAsync("barrier");

        _manager.SetPodStatus(pod, RunningStatus(pod, T0));
        var stored = await WaitForPhaseAsync("once", PodPhases.Running);
        // The same status built again later (another sync): transition times are kept, so it is equal.
        _manager.SetPodStatus(pod, RunningStatus(pod, T0.AddSeconds(30)));
        _manager.SetPodStatus(stored, RunningStatus(stored, T0.AddSeconds(40)));
        _manager.SetPodStatus(barrier, RunningStatus(barrier, T0));
        await WaitForPhaseAsync("barrier", PodPhases.Running);

        var after = await _client.GetAsync<Pod>("default", "once");
        Assert.Equal(stored.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal(2, _manager.StatusWrites);
        Assert.Equal(PodAddress, after.Status!.PodIP);
        Assert.Equal(HostIP, after.Status.HostIP);
        Assert.Equal("containerd://c1", Assert.Single(after.Status.ContainerStatuses!).ContainerID);
    }

    [Fact]
    public async Task SetPodStatus_Changed_IsWritten()
    {
        var pod = await CreatePodAsync("flip");
        _probes.NotReady.Add("c1");
        var unready = RunningStatus(pod, T0);
        _manager.SetPodStatus(pod, unready);
        await WaitForPhaseAsync("flip", PodPhases.Running);

        _probes.NotReady.Clear();
        _manager.SetPodStatus(pod, RunningStatus(pod, T0.AddSeconds(10), unready));

        await Eventually.True(async () => ReadyOf(await _client.GetAsync<Pod>("default", "flip")) == ConditionStatuses.True, "the Ready condition flipped to True", Within);
        Assert.Equal(2, _manager.StatusWrites);
    }

    [Fact]
    public async Task SetPodStatus_StaleResourceVersion_RetriedAfterConflict()
    {
        var stale = await CreatePodAsync("conflict");
        var changed = await _client.GetAsync<Pod>("default", "conflict");
        changed.Metadata.Labels = new Dictionary<string, string> { ["app"] = "web" };
        await _client.UpdateAsync(changed);

        _manager.SetPodStatus(stale, RunningStatus(stale, T0));

        var stored = await WaitForPhaseAsync("conflict", PodPhases.Running);
        Assert.True(_manager.Conflicts >= 1, "the first write, at the stale resourceVersion, was refused");
        Assert.Equal("web", stored.Metadata.Labels!["app"]);
    }

    [Fact]
    public async Task SetPodStatus_DeletedPod_IsNotResurrected()
    {
        var pod = await CreatePodAsync("gone", node: null);
        await _client.DeleteAsync<Pod>("default", "gone");
        var barrier = await CreatePodAsync("barrier2");

        _manager.SetPodStatus(pod, RunningStatus(pod, T0));
        _manager.SetPodStatus(barrier, RunningStatus(barrier, T0));
        await WaitForPhaseAsync("barrier2", PodPhases.Running);

        var e = await Assert.ThrowsAsync<KubeApiException>(() => _client.GetAsync<Pod>("default", "gone"));
        Assert.True(e.IsNotFound);
        Assert.Equal(1, _manager.StatusWrites);
    }

    [Fact]
    public async Task SetPodStatus_NameTakenByANewPod_LeavesTheNewOneAlone()
    {
        var old = await CreatePodAsync("reborn", node: null);
        await _client.DeleteAsync<Pod>("default", "reborn");
        var reborn = await CreatePodAsync("reborn");
        var barrier = await CreatePodAsync("barrier3");

        _manager.SetPodStatus(old, RunningStatus(old, T0));
        _manager.SetPodStatus(barrier, RunningStatus(barrier, T0));
        await WaitForPhaseAsync("barrier3", PodPhases.Running);

        var stored = await _client.GetAsync<Pod>("default", "reborn");
        Assert.NotEqual(old.Metadata.Uid, reborn.Metadata.Uid);
        Assert.Equal(reborn.Metadata.ResourceVersion, stored.Metadata.ResourceVersion);
        Assert.Equal(PodPhases.Pending, stored.Status!.Phase);
    }

    [Fact]
    public async Task PodTerminated_GracefullyDeletedPod_DeletionCompleted()
    {
        var pod = await CreatePodAsync("bye");
        _manager.SetPodStatus(pod, RunningStatus(pod, T0));
        await WaitForPhaseAsync("bye", PodPhases.Running);
        await _client.DeleteAsync<Pod>("default", "bye");
        var deleting = await _client.GetAsync<Pod>("default", "bye");
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);

        _manager.PodTerminated(deleting);

        await Eventually.True(async () => await ExistsAsync("bye") is false, "the pod left the API", Within);
        Assert.Equal(1, _manager.Deletions);
        Assert.Equal(2, _manager.StatusWrites);
        // Statuses set after the deletion are dropped, not written onto a pod that is gone.
        _manager.SetPodStatus(deleting, RunningStatus(deleting, T0.AddSeconds(1)));
        Assert.False(await ExistsAsync("bye"));
    }

    [Fact]
    public async Task PodTerminated_PodNotBeingDeleted_FinalStatusOnly()
    {
        var pod = await CreatePodAsync("done", restartPolicy: RestartPolicies.Never);
        var exited = _builder.Build(pod, State(Sandbox(ready: false), Exited("web", "c1", 0)), _probes, HostIP, T0, podIsTerminal: true);
        _manager.SetPodStatus(pod, exited);
        await WaitForPhaseAsync("done", PodPhases.Succeeded);

        _manager.PodTerminated(pod);
        var barrier = await CreatePodAsync("barrier4");
        _manager.SetPodStatus(barrier, RunningStatus(barrier, T0));
        await WaitForPhaseAsync("barrier4", PodPhases.Running);

        var stored = await _client.GetAsync<Pod>("default", "done");
        Assert.Equal(PodPhases.Succeeded, stored.Status!.Phase);
        Assert.Equal(Reasons.Completed, Assert.Single(stored.Status.ContainerStatuses!).State!.Terminated!.Reason);
        Assert.Equal(0, _manager.Deletions);
    }

    [Fact]
    public async Task PodTerminated_WhileRunningStatus_WritesFailedWithUnknownContainers()
    {
        var pod = await CreatePodAsync("killed");
        _manager.SetPodStatus(pod, RunningStatus(pod, T0));
        await WaitForPhaseAsync("killed", PodPhases.Running);

        _manager.PodTerminated(pod);

        var stored = await WaitForPhaseAsync("killed", PodPhases.Failed);
        var terminated = Assert.Single(stored.Status!.ContainerStatuses!).State!.Terminated!;
        Assert.Equal((137, Reasons.ContainerStatusUnknown), (terminated.ExitCode, terminated.Reason));
        Assert.Equal(ConditionStatuses.False, ReadyOf(stored));
        Assert.True(_manager.TryGetPodStatus(pod.Metadata.Uid!, out var cached));
        Assert.Equal(PodPhases.Failed, cached.Phase);
    }

    [Fact]
    public async Task Sink_SyncThenTerminated_WritesRunningThenCompletesTheDeletion()
    {
        var sink = new PodStatusSink(_manager, _builder, _probes, () => HostIP);
        var pod = await CreatePodAsync("sunk");

        sink.PodSynced(pod, State(Sandbox(), Running("web", "c1")));
        var running = await WaitForPhaseAsync("sunk", PodPhases.Running);
        await _client.DeleteAsync<Pod>("default", "sunk");
        var deleting = await _client.GetAsync<Pod>("default", "sunk");
        sink.PodTerminated(deleting, State(Sandbox(ready: false), Exited("web", "c1", 0)));
        sink.PodTerminated(deleting, State(Sandbox(ready: false), Exited("web", "c1", 0)));

        Assert.Equal(HostIP, running.Status!.HostIP);
        await Eventually.True(async () => await ExistsAsync("sunk") is false, "the pod left the API", Within);
        Assert.Equal(1, _manager.Deletions);
        sink.PodRemoved(pod.Metadata.Uid!);
        Assert.False(_manager.TryGetPodStatus(pod.Metadata.Uid!, out _));
    }

    private PodStatus RunningStatus(Pod pod, DateTimeOffset now, PodStatus? old = null) =>
        _builder.Build(pod, State(Sandbox(), Running("web", "c1")), _probes, HostIP, now, old);

    private async Task<Pod> CreatePodAsync(string name, string? node = "n1", string restartPolicy = RestartPolicies.Always) =>
        await _client.CreateAsync(new Pod
        {
            Kind = "Pod",
            ApiVersion = "v1",
            Metadata = new ObjectMeta { Name = name, Namespace = "default" },
            Spec = new PodSpec
            {
                NodeName = node,
                RestartPolicy = restartPolicy,
                Containers = [new Container { Name = "web", Image = "busybox:1.36" }],
            },
        });

    private async Task<Pod> WaitForPhaseAsync(string name, string phase)
    {
        Pod? pod = null;
        await Eventually.True(async () => (pod = await _client.GetAsync<Pod>("default", name)).Status?.Phase == phase, $"pod {name} is {phase}", Within);
        return pod!;
    }

    private async Task<bool> ExistsAsync(string name)
    {
        try
        {
            await _client.GetAsync<Pod>("default", name);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    private static string? ReadyOf(Pod pod) => pod.Status?.Conditions?.Find(c => c.Type == PodConditionTypes.Ready)?.Status;
}
