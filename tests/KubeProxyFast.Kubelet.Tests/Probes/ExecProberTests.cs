using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Kubelet.Cri.V1;
using KubeProxyFast.Kubelet.Probes;
using KubeProxyFast.Testing;
using KubeProxyFast.Testing.Containerd;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.Tests.Probes;

/// <summary>Exec probes through CRI ExecSync into a real busybox container, on a private containerd in a test network namespace shared by the class.</summary>
public sealed class ExecProberTests : IAsyncLifetime
{
    // Ample on a loaded 2-core CI machine; the timeout tests give their own 1 s.
    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(10);
    private NetworkNamespace _ns = null!;
    private TestContainerd _containerd = null!;
    private string _containerId = "";

    public async Task InitializeAsync()
    {
        _ns = NetworkNamespace.Create();
        try
        {
            _containerd = await TestContainerd.StartAsync(_ns);
            await _containerd.ImportAsync(TestImages.BusyboxArchive);
            _containerId = await RunContainerAsync("probed");
        }
        catch
        {
            if (_containerd is not null)
            {
                await _containerd.DisposeAsync();
            }

            _ns.Dispose();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _containerd.DisposeAsync();
        }
        finally
        {
            _ns.Dispose();
        }
    }

    [Fact]
    public async Task ProbeAsync_ExitZero_SucceedsWithTheOutput()
    {
        var result = await new ExecProber(_containerd.Cri.Runtime).ProbeAsync(_containerId, ["sh", "-c", "echo alive; hostname >/dev/null"], Patient, CancellationToken.None);

        Assert.Equal(ProbeResult.Success("alive\n"), result);
    }

    [Fact]
    public async Task ProbeAsync_ExitOne_FailsWithStdoutThenStderr()
    {
        var result = await new ExecProber(_containerd.Cri.Runtime).ProbeAsync(_containerId, ["sh", "-c", "echo out; echo err >&2; exit 1"], Patient, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Equal("out\nerr\n", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_ExitNonZeroWithoutOutput_NamesTheCode()
    {
        var result = await new ExecProber(_containerd.Cri.Runtime).ProbeAsync(_containerId, ["sh", "-c", "exit 3"], Patient, CancellationToken.None);

        Assert.Equal(ProbeResult.Failure("command [sh -c exit 3] exited with 3"), result);
    }

    [Fact]
    public async Task ProbeAsync_CommandOutlivesTheTimeout_FailsAsTimedOut()
    {
        var result = await new ExecProber(_containerd.Cri.Runtime).ProbeAsync(_containerId, ["sleep", "30"], TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Contains("timed out", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_LargeOutput_IsCutAt10KiB()
    {
        var result = await new ExecProber(_containerd.Cri.Runtime).ProbeAsync(_containerId, ["sh", "-c", "head -c 30000 /dev/zero | tr '\\0' x"], TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.Equal(new string('x', ExecProber.MaxOutputBytes), result.Message);
    }

    [Fact]
    public async Task ProbeAsync_NoSuchContainer_IsUnknownNotAFailure()
    {
        var result = await new ExecProber(_containerd.Cri.Runtime).ProbeAsync("0000000000000000000000000000000000000000000000000000000000000000", ["true"], Patient, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unknown, result.Outcome);
    }

    [Fact]
    public async Task ProbeManager_ExecProbes_ReadinessFollowsAFileAndLivenessFailureCallsBack()
    {
        // Real time here (1 s periods): the fake-clock tests cover the sequences, this the wiring.
        using var prober = new Prober(_containerd.Cri.Runtime);
        await using var manager = new ProbeManager(prober);
        var failures = new List<ProbeFailure>();
        manager.LivenessFailed += f =>
        {
            lock (failures)
            {
                failures.Add(f);
            }
        };
        var readiness = new Probe { Exec = new ExecAction { Command = ["test", "-f", "/tmp/ready"] }, PeriodSeconds = 1, FailureThreshold = 1 };
        var liveness = new Probe { Exec = new ExecAction { Command = ["test", "!", "-f", "/tmp/dead"] }, PeriodSeconds = 1, FailureThreshold = 2 };
        var container = new Container { Name = "app", ReadinessProbe = readiness, LivenessProbe = liveness };
        var pod = new Pod { Metadata = new ObjectMeta { Name = "web", Namespace = "default", Uid = "uid-exec" }, Spec = new PodSpec { Containers = [container] } };
        var id = await RunContainerAsync("managed");
        manager.UpdateContainer(pod, container, id, DateTimeOffset.UtcNow, null);

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(manager.IsReady(id));
        await ExecAsync(id, "touch /tmp/ready");
        await Eventually.True(() => manager.IsReady(id), "ready once /tmp/ready exists", TimeSpan.FromSeconds(10));
        await ExecAsync(id, "rm /tmp/ready");
        await Eventually.True(() => !manager.IsReady(id), "not ready once /tmp/ready is gone", TimeSpan.FromSeconds(10));

        await ExecAsync(id, "touch /tmp/dead");
        await Eventually.True(() =>
        {
            lock (failures)
            {
                return failures.Count == 1;
            }
        }, "the liveness failure was reported", TimeSpan.FromSeconds(10));
        var failure = failures[0];
        Assert.Equal(("uid-exec", "app", id, ProbeKind.Liveness), (failure.PodUid, failure.ContainerName, failure.ContainerId, failure.Kind));
        manager.RemovePod("uid-exec");
    }

    private async Task ExecAsync(string id, string script)
    {
        var response = await _containerd.Cri.Runtime.ExecSyncAsync(new ExecSyncRequest { ContainerId = id, Cmd = { "sh", "-c", script }, Timeout = 10 });
        Assert.Equal(0, response.ExitCode);
    }

    // The node's (test namespace's) network: no CNI config is needed; pid and ipc as the kubelet sets them.
    private static NamespaceOption Namespaces() => new() { Network = NamespaceMode.Node, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod };

    /// <summary>A sandbox on the namespace's network with one busybox container sleeping in it; returns the container's id.</summary>
    private async Task<string> RunContainerAsync(string name)
    {
        var sandbox = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = "default", Uid = Guid.NewGuid().ToString() },
            LogDirectory = Path.Combine(_containerd.DataDirectory, "logs", name),
            Linux = new LinuxPodSandboxConfig
            {
                CgroupParent = _containerd.CgroupParent,
                SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = Namespaces() },
            },
        };
        var sandboxId = (await _containerd.Cri.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = sandbox })).PodSandboxId;
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = "app" },
            Image = new ImageSpec { Image = TestImages.BusyboxReference },
            Command = { "sleep", "3600" },
            LogPath = "app/0.log",
            Linux = new LinuxContainerConfig { SecurityContext = new LinuxContainerSecurityContext { NamespaceOptions = Namespaces() } },
        };
        var containerId = (await _containerd.Cri.Runtime.CreateContainerAsync(new CreateContainerRequest { PodSandboxId = sandboxId, Config = config, SandboxConfig = sandbox })).ContainerId;
        await _containerd.Cri.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = containerId });
        return containerId;
    }
}
