using KubeProxyFast.Kubelet.Cri.V1;
using KubeProxyFast.Kubelet.Pods;
using KubeProxyFast.Testing;
using ContainerState = KubeProxyFast.Kubelet.Cri.V1.ContainerState;

namespace KubeProxyFast.Kubelet.Tests.Pods;

/// <summary>Pods run by the pod workers on a real containerd (private, in a test network namespace).</summary>
public sealed class PodLifecycleTests(PodsContainerdFixture fixture) : IClassFixture<PodsContainerdFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private RuntimePods Pods => new(fixture.Runtime);

    private async Task<RuntimePod> RuntimeAsync(string uid) => await Pods.GetAsync(uid, "", "", CancellationToken.None);

    private async Task<ContainerStatus> RunningAsync(string uid, string container)
    {
        ContainerStatus? running = null;
        try
        {
            await Eventually.True(async () =>
            {
                running = (await RuntimeAsync(uid)).Newest(container);
                return running?.State == ContainerState.ContainerRunning;
            }, $"container {container} of pod {uid} running", Within);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; kubelet log:\n{string.Join("\n", fixture.Logs.Messages.TakeLast(12))}", e);
        }

        return running!;
    }

    // A worker cancelled mid-start can leave a container "starting" for a moment; the fixture removes what stays.
    private static async Task CleanupAsync(PodSyncer syncer, string uid)
    {
        try
        {
            await syncer.RemoveAsync(uid, 0, CancellationToken.None);
        }
        catch (Grpc.Core.RpcException)
        {
        }
    }

    [Fact]
    public async Task UpdatePod_TwoContainers_ShareNetworkHostnameAndIpcButNotPid()
    {
        var syncer = fixture.NewSyncer();
        var sink = new RecordingSink();
        var pod = PodsContainerdFixture.NewPod("duo", "Always",
            PodsContainerdFixture.Shell("web", "echo hi > /tmp/index.html; exec httpd -f -p 127.0.0.1:8080 -h /tmp"),
            PodsContainerdFixture.Shell("client", "exec sleep 3600"));
        var uid = pod.Metadata.Uid!;
        try
        {
            await using (var workers = fixture.NewWorkers(syncer, sink))
            {
                workers.UpdatePod(pod);
                var web = await RunningAsync(uid, "web");
                var client = await RunningAsync(uid, "client");

                Assert.Equal("hi", await fixture.ExecAsync(client.Id, "wget", "-qO-", "http://127.0.0.1:8080/index.html"));
                Assert.Equal("duo", await fixture.ExecAsync(client.Id, "hostname"));
                foreach (var ns in new[] { "net", "uts", "ipc" })
                {
                    Assert.Equal(await fixture.ExecAsync(web.Id, "readlink", $"/proc/self/ns/{ns}"), await fixture.ExecAsync(client.Id, "readlink", $"/proc/self/ns/{ns}"));
                }

                Assert.NotEqual(await fixture.ExecAsync(web.Id, "readlink", "/proc/self/ns/pid"), await fixture.ExecAsync(client.Id, "readlink", "/proc/self/ns/pid"));

                var runtime = await RuntimeAsync(uid);
                Assert.Single(runtime.Sandboxes);
                Assert.StartsWith("198.18.7.", runtime.Sandbox!.Network.Ip, StringComparison.Ordinal);
                Assert.Single(runtime.Containers["web"]);
                Assert.Single(runtime.Containers["client"]);
                Assert.True(File.Exists(Path.Combine(fixture.Options.DataDirectory, "agent", "logs", "pods", $"default_duo_{uid}", "web", "0.log")));
                Assert.NotEmpty(PodCgroups.Find(fixture.Options.CgroupRoot, uid));
                await Eventually.True(() => sink.Synced.TryGetValue(uid, out var s) && s.Containers.Count == 2, "a state with both containers reported");

                // The pod leaves the API: everything of it goes, cgroups included.
                workers.RemovePod(uid);
                await Eventually.True(() => sink.Removed.Contains(uid), "the pod removed", Within);
            }

            var after = await RuntimeAsync(uid);
            Assert.Empty(after.Sandboxes);
            Assert.Empty(after.Containers);
            Assert.Empty(PodCgroups.Find(fixture.Options.CgroupRoot, uid));
        }
        finally
        {
            await CleanupAsync(syncer, uid);
        }
    }

    [Theory]
    [InlineData("OnFailure", "exit 3", true)]
    [InlineData("Always", "exit 0", true)]
    [InlineData("Never", "exit 3", false)]
    [InlineData("OnFailure", "exit 0", false)]
    public async Task Sync_ExitedContainer_IsRestartedByThePolicyWithBackOff(string policy, string script, bool restarts)
    {
        // A back-off longer than the 2 s resync, so that a sync lands inside it and reports CrashLoopBackOff.
        var syncer = fixture.NewSyncer(new ContainerBackoff(TimeProvider.System, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6)));
        var sink = new RecordingSink();
        var pod = PodsContainerdFixture.NewPod("restart-" + policy.ToLowerInvariant(), policy, PodsContainerdFixture.Shell("job", script));
        var uid = pod.Metadata.Uid!;
        try
        {
            await using var workers = fixture.NewWorkers(syncer, sink);
            workers.UpdatePod(pod);
            if (restarts)
            {
                // Attempt 0 exits, attempt 1 starts at once, attempt 2 only after the 3 s back-off.
                await Eventually.True(async () => (await RuntimeAsync(uid)).Newest("job")?.Metadata.Attempt >= 2, "the third attempt", Within);
                var wait = Assert.Single(sink.Waits.Where(w => w.Uid == uid).Select(w => w.Waiting).DistinctBy(w => w.Message).Take(1));
                Assert.Equal("CrashLoopBackOff", wait.Reason);
                Assert.Equal($"back-off 3s restarting failed container=job pod={pod.Metadata.Name}_default({uid})", wait.Message);
                // Kept: the newest instance and the one before it (for lastState), no more.
                await Eventually.True(async () => (await RuntimeAsync(uid)).Containers["job"].Count <= 2, "old instances removed", Within);
            }
            else
            {
                await Eventually.True(async () => (await RuntimeAsync(uid)).Newest("job")?.State == ContainerState.ContainerExited, "the container exited", Within);
                // Several resyncs (every 2 s) and kicks later, still the one instance.
                for (var i = 0; i < 3; i++)
                {
                    workers.Kick(uid);
                    await Task.Delay(500);
                }

                var runtime = await RuntimeAsync(uid);
                var only = Assert.Single(runtime.Containers["job"]);
                Assert.Equal(0u, only.Metadata.Attempt);
                Assert.DoesNotContain(sink.Waits, w => w.Uid == uid);
            }
        }
        finally
        {
            await CleanupAsync(syncer, uid);
        }
    }

    [Fact]
    public async Task UpdatePod_Deleted_StopsWithTheGracePeriodThenReportsTerminated()
    {
        var syncer = fixture.NewSyncer();
        var sink = new RecordingSink();
        var pod = PodsContainerdFixture.NewPod("graceful", "Always",
            PodsContainerdFixture.Shell("polite", "trap 'exit 0' TERM; while true; do sleep 0.2; done"),
            PodsContainerdFixture.Shell("stubborn", "trap '' TERM; while true; do sleep 0.2; done"));
        var uid = pod.Metadata.Uid!;
        try
        {
            await using var workers = fixture.NewWorkers(syncer, sink);
            workers.UpdatePod(pod);
            await RunningAsync(uid, "polite");
            await RunningAsync(uid, "stubborn");

            pod.Metadata.DeletionTimestamp = DateTimeOffset.UtcNow;
            pod.Metadata.DeletionGracePeriodSeconds = 3;
            workers.UpdatePod(pod);
            await Eventually.True(() => sink.Terminated.ContainsKey(uid), "the pod terminated", Within);

            var state = sink.Terminated[uid];
            Assert.Equal(PodSandboxState.SandboxNotready, state.Sandbox!.State);
            var polite = state.Containers["polite"][0];
            var stubborn = state.Containers["stubborn"][0];
            Assert.Equal((ContainerState.ContainerExited, 0), (polite.State, polite.ExitCode));   // exited on SIGTERM
            Assert.Equal((ContainerState.ContainerExited, 137), (stubborn.State, stubborn.ExitCode)); // SIGKILL after the grace period
            // Killed no sooner than the grace period after the SIGTERM that ended the polite one.
            Assert.True(stubborn.FinishedAt - polite.FinishedAt >= TimeSpan.FromSeconds(2).Ticks * 100,
                $"stubborn finished {(stubborn.FinishedAt - polite.FinishedAt) / 1e9:F1} s after polite");
            Assert.Single(state.Containers["polite"]);
        }
        finally
        {
            await CleanupAsync(syncer, uid);
        }
    }

    [Fact]
    public async Task AdoptAsync_AfterRestart_KeepsTheSandboxAndContainersAndRemovesOrphans()
    {
        var syncer = fixture.NewSyncer();
        var sink = new RecordingSink();
        var kept = PodsContainerdFixture.NewPod("kept", "Always", PodsContainerdFixture.Shell("app", "exec sleep 3600"));
        var orphan = PodsContainerdFixture.NewPod("orphan", "Always", PodsContainerdFixture.Shell("app", "exec sleep 3600"));
        var keptUid = kept.Metadata.Uid!;
        var orphanUid = orphan.Metadata.Uid!;
        try
        {
            string sandboxId, containerId;
            await using (var first = fixture.NewWorkers(syncer, sink))
            {
                first.UpdatePod(kept);
                first.UpdatePod(orphan);
                containerId = (await RunningAsync(keptUid, "app")).Id;
                await RunningAsync(orphanUid, "app");
                sandboxId = (await RuntimeAsync(keptUid)).Sandbox!.Id;
            }

            // A new kubelet (new workers, new syncer, fresh back-off) that knows only "kept".
            var restarted = fixture.NewSyncer();
            var sink2 = new RecordingSink();
            await using var second = fixture.NewWorkers(restarted, sink2);
            await second.AdoptAsync([kept], CancellationToken.None);
            await Eventually.True(() => sink2.Synced.ContainsKey(keptUid), "the adopted pod synced", Within);
            second.Kick(keptUid);
            await Task.Delay(500);

            var runtime = await RuntimeAsync(keptUid);
            Assert.Equal(sandboxId, Assert.Single(runtime.Sandboxes).Id);
            var app = Assert.Single(runtime.Containers["app"]);
            Assert.Equal((containerId, ContainerState.ContainerRunning), (app.Id, app.State));

            var gone = await RuntimeAsync(orphanUid);
            Assert.Empty(gone.Sandboxes);
            Assert.Empty(gone.Containers);
            Assert.Contains(orphanUid, sink2.Removed);
            Assert.Empty(PodCgroups.Find(fixture.Options.CgroupRoot, orphanUid));
        }
        finally
        {
            await CleanupAsync(syncer, keptUid);
            await CleanupAsync(syncer, orphanUid);
        }
    }

    [Fact]
    public async Task OnLivenessFailure_RestartsTheContainer()
    {
        var syncer = fixture.NewSyncer();
        var sink = new RecordingSink();
        var pod = PodsContainerdFixture.NewPod("live", "Always", PodsContainerdFixture.Shell("app", "trap 'exit 1' TERM; while true; do sleep 0.2; done"));
        var uid = pod.Metadata.Uid!;
        try
        {
            await using var workers = fixture.NewWorkers(syncer, sink);
            workers.UpdatePod(pod);
            var first = await RunningAsync(uid, "app");
            workers.OnLivenessFailure(uid, first.Id);
            await Eventually.True(async () =>
            {
                var newest = (await RuntimeAsync(uid)).Newest("app");
                return newest is { State: ContainerState.ContainerRunning } && newest.Id != first.Id;
            }, "a new instance running", Within);
            var instances = (await RuntimeAsync(uid)).Containers["app"];
            Assert.Equal(1u, instances[0].Metadata.Attempt);
            Assert.Equal((first.Id, ContainerState.ContainerExited), (instances[1].Id, instances[1].State));
            Assert.Single((await RuntimeAsync(uid)).Sandboxes);
        }
        finally
        {
            await CleanupAsync(syncer, uid);
        }
    }

    [Fact]
    public async Task UpdatePod_ChangedSpec_RestartsTheContainerInTheSameSandbox()
    {
        var syncer = fixture.NewSyncer();
        var sink = new RecordingSink();
        var pod = PodsContainerdFixture.NewPod("respec", "Always", PodsContainerdFixture.Shell("app", "trap 'exit 0' TERM; while true; do sleep 0.2; done"));
        var uid = pod.Metadata.Uid!;
        try
        {
            await using var workers = fixture.NewWorkers(syncer, sink);
            workers.UpdatePod(pod);
            var first = await RunningAsync(uid, "app");
            var sandbox = (await RuntimeAsync(uid)).Sandbox!.Id;
            pod.Spec!.Containers![0].Env = [new Api.Core.EnvVar { Name = "V", Value = "2" }];
            workers.UpdatePod(pod);
            await Eventually.True(async () => (await RuntimeAsync(uid)).Newest("app") is { State: ContainerState.ContainerRunning } n && n.Id != first.Id, "the new instance", Within);
            var newest = (await RuntimeAsync(uid)).Newest("app")!;
            Assert.Equal("2", await fixture.ExecAsync(newest.Id, "sh", "-c", "echo $V"));
            Assert.Equal(sandbox, (await RuntimeAsync(uid)).Sandbox!.Id);
        }
        finally
        {
            await CleanupAsync(syncer, uid);
        }
    }
}
