using KubeProxyFast.Kubelet.Cri;
using KubeProxyFast.Kubelet.Cri.V1;
using KubeProxyFast.Kubelet.Images;
using KubeProxyFast.Kubelet.Runtime;
using KubeProxyFast.Testing;
using KubeProxyFast.Testing.Containerd;
using Microsoft.Extensions.Logging.Abstractions;
using Tmds.Linux;

namespace KubeProxyFast.Kubelet.Tests.Runtime;

/// <summary>A real containerd (the kubelet's EmbeddedContainerd) in a private network namespace, shared by the class.</summary>
public sealed class EmbeddedContainerdTests : IAsyncLifetime
{
    private NetworkNamespace _ns = null!;
    private TestContainerd _containerd = null!;

    public async Task InitializeAsync()
    {
        _ns = NetworkNamespace.Create();
        try
        {
            _containerd = await TestContainerd.StartAsync(_ns);
        }
        catch
        {
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
    public async Task Start_AnswersCriVersionAndStatus()
    {
        var version = await _containerd.Cri.CheckAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("containerd", version.RuntimeName);
        Assert.Equal("v1", version.RuntimeApiVersion);

        var status = await _containerd.Cri.Runtime.StatusAsync(new StatusRequest());
        Assert.Contains(status.Status.Conditions, c => c.Type == "RuntimeReady" && c.Status);
        Assert.True(File.Exists(_containerd.Containerd.Config.LogPath));
        Assert.Contains("io.containerd.grpc.v1.cri", await File.ReadAllTextAsync(_containerd.Containerd.Config.LogPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killed_IsRestartedAndAnswersAgain()
    {
        var pid = _containerd.Containerd.ProcessId ?? throw new InvalidOperationException("containerd is not running");
        var starts = _containerd.Containerd.Starts;
        Assert.Equal(0, LibC.kill(pid, LibC.SIGKILL));

        await Eventually.True(() => _containerd.Containerd.Starts > starts && _containerd.Containerd.ProcessId is { } p && p != pid, "containerd restarted", TimeSpan.FromSeconds(20));
        await _containerd.Containerd.WaitReadyAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        var version = await _containerd.Cri.CheckAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("containerd", version.RuntimeName);
        Assert.Contains("containerd exited with code", await File.ReadAllTextAsync(_containerd.Containerd.Config.LogPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxImage_RunsAsASandbox_AndStopsOnSigtermAndStopPodSandbox()
    {
        var id = await RunSandboxAsync("pause-a");
        var status = await _containerd.Cri.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = id });
        Assert.Equal(PodSandboxState.SandboxReady, status.Status.State);

        await _containerd.Cri.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = id });
        status = await _containerd.Cri.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = id });
        Assert.Equal(PodSandboxState.SandboxNotready, status.Status.State);
        await _containerd.Cri.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = id });

        // The pause process itself exits 0 on SIGTERM (PID 1 ignores signals it does not trap).
        var second = await RunSandboxAsync("pause-b");
        var kill = _containerd.Ctr("task", "kill", "--signal", "SIGTERM", second);
        Assert.True(kill.ExitCode == 0, kill.Stderr);
        await Eventually.True(async () =>
        {
            var s = await _containerd.Cri.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = second });
            return s.Status.State == PodSandboxState.SandboxNotready;
        }, "the sandbox stopped after SIGTERM", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Start_ContainerdMissing_FailsNamingTheLog()
    {
        var dir = Directory.CreateTempSubdirectory("kpft-noctd-").FullName;
        try
        {
            var config = ContainerdConfig.ForDataDirectory(dir, SandboxImage.DefaultReference, "/usr/lib/cni");
            await using var containerd = new EmbeddedContainerd(config, NullLogger.Instance, new EmbeddedContainerdOptions
            {
                ContainerdPath = "/bin/false",
                LauncherPrefix = TestContainerd.LauncherFor(_ns),
            });
            var e = await Assert.ThrowsAsync<CriUnavailableException>(() => containerd.StartAsync(CancellationToken.None));
            Assert.Contains(config.LogPath, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private async Task<string> RunSandboxAsync(string name)
    {
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = "default", Uid = Guid.NewGuid().ToString() },
            LogDirectory = Path.Combine(_containerd.DataDirectory, "logs", name),
            Linux = new LinuxPodSandboxConfig
            {
                CgroupParent = _containerd.CgroupParent,
                SecurityContext = new LinuxSandboxSecurityContext
                {
                    NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Node, Pid = NamespaceMode.Pod, Ipc = NamespaceMode.Pod },
                },
            },
        };
        var response = await _containerd.Cri.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config });
        return response.PodSandboxId;
    }
}
