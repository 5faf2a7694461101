using Pod = KubeProxyFast.Api.Core.Pod;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Kubelet.Cri.V1;
using KubeProxyFast.Kubelet.Images;
using KubeProxyFast.Testing;
using KubeProxyFast.Testing.Containerd;
using Microsoft.Extensions.Logging.Abstractions;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.Tests.Images;

/// <summary>
/// ImageManager against a real containerd and a real registry (docker-registry) in one private
/// network namespace, shared by the class. The registry holds busybox as kpf/busybox:1; containerd
/// reaches it over plain HTTP and through a mirror for the made-up registry.kpf.test.
/// </summary>
public sealed class ImageManagerTests : IAsyncLifetime
{
    private const string MirroredHost = "registry.kpf.test";
    private NetworkNamespace _ns = null!;
    private TestRegistry _registry = null!;
    private TestContainerd _containerd = null!;
    private string _busybox = null!;

    public async Task InitializeAsync()
    {
        _ns = NetworkNamespace.Create();
        try
        {
            _registry = await TestRegistry.StartAsync(_ns);
            _busybox = await _registry.PushAsync(TestImages.BusyboxArchive, "kpf/busybox:1");
            var registryConfig = _registry.PlainHttp with
            {
                Mirrors = new Dictionary<string, IReadOnlyList<string>>(_registry.PlainHttp.Mirrors) { [MirroredHost] = [$"http://{_registry.Host}"] },
            };
            _containerd = await TestContainerd.StartAsync(_ns, registryConfig);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_containerd is not null)
            {
                await _containerd.DisposeAsync();
            }
            if (_registry is not null)
            {
                await _registry.DisposeAsync();
            }
        }
        finally
        {
            _ns.Dispose();
        }
    }

    [Fact]
    public async Task EnsureImage_InRegistry_IsPulledAndRuns()
    {
        var images = new ImageManager(_containerd.Cri, NullLogger.Instance);
        var result = await images.EnsureImageAsync(NewPod(), NewContainer(_busybox), Sandbox(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Message);
        Assert.StartsWith("sha256:", result.ImageRef, StringComparison.Ordinal);
        Assert.Equal(3, await RunToExitAsync(result.ImageRef!, ["sh", "-c", "test -x /bin/busybox && exit 3"]));
    }

    [Fact]
    public async Task EnsureImage_ThroughMirror_IsPulledFromTheMirrorsEndpoint()
    {
        // registry.kpf.test resolves nowhere: only the mirror rendered into config.toml reaches the registry.
        var images = new ImageManager(_containerd.Cri, NullLogger.Instance);
        var result = await images.EnsureImageAsync(NewPod(), NewContainer($"{MirroredHost}/kpf/busybox:1"), Sandbox(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Message);
        var status = await _containerd.Cri.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = $"{MirroredHost}/kpf/busybox:1" } });
        Assert.Equal(result.ImageRef, status.Image.Id);
    }

    [Fact]
    public async Task EnsureImage_Missing_IsErrImagePullWithTheRegistrysMessage_ThenBackOffDoublingFrom10s()
    {
        var time = new FakeTimeProvider();
        var images = new ImageManager(_containerd.Cri, NullLogger.Instance, time);
        var pod = NewPod();
        var image = $"{_registry.Host}/kpf/missing:1";
        var container = NewContainer(image);

        var first = await images.EnsureImageAsync(pod, container, Sandbox(), CancellationToken.None);
        Assert.Equal("ErrImagePull", first.Reason);
        Assert.Contains(image, first.Message, StringComparison.Ordinal);
        Assert.Contains("not found", first.Message, StringComparison.Ordinal);

        var second = await images.EnsureImageAsync(pod, container, Sandbox(), CancellationToken.None);
        Assert.Equal("ImagePullBackOff", second.Reason);
        Assert.Equal($"Back-off pulling image \"{image}\": ErrImagePull: {first.Message}", second.Message);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("ErrImagePull", (await images.EnsureImageAsync(pod, container, Sandbox(), CancellationToken.None)).Reason);
        Assert.Equal(TimeSpan.FromSeconds(20), images.BackOff.Current($"{pod.Metadata.Uid}_{image}"));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("ImagePullBackOff", (await images.EnsureImageAsync(pod, container, Sandbox(), CancellationToken.None)).Reason);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("ErrImagePull", (await images.EnsureImageAsync(pod, container, Sandbox(), CancellationToken.None)).Reason);

        // Another pod's pull of the same image has its own back-off.
        Assert.Equal("ErrImagePull", (await images.EnsureImageAsync(NewPod(), container, Sandbox(), CancellationToken.None)).Reason);
    }

    [Fact]
    public async Task EnsureImage_NeverAndAbsent_IsErrImageNeverPullWithoutPulling()
    {
        var images = new ImageManager(_containerd.Cri, NullLogger.Instance);
        var result = await images.EnsureImageAsync(NewPod(), NewContainer($"{_registry.Host}/kpf/busybox:never", "Never"), Sandbox(), CancellationToken.None);
        Assert.Equal("ErrImageNeverPull", result.Reason);

        // Present but not pulled: the registry has kpf/busybox:1, but Never does not fetch it.
        var never = await images.EnsureImageAsync(NewPod(), NewContainer($"{MirroredHost}/kpf/busybox:never-pulled", "Never"), Sandbox(), CancellationToken.None);
        Assert.Equal("ErrImageNeverPull", never.Reason);
        Assert.Contains("is not present with pull policy of Never", never.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureImage_IfNotPresentAndPresent_DoesNotPull_AlwaysDoes()
    {
        // An image only imported locally under the registry's name: a pull of it would fail.
        var reference = $"{_registry.Host}/kpf/local-only:1";
        var archive = TestImages.Build(new OciImageSpec { Reference = reference, Cmd = ["sh"] });
        await _containerd.ImportAsync(archive);
        var images = new ImageManager(_containerd.Cri, NullLogger.Instance);

        var ifNotPresent = await images.EnsureImageAsync(NewPod(), NewContainer(reference, "IfNotPresent"), Sandbox(), CancellationToken.None);
        Assert.True(ifNotPresent.Succeeded, ifNotPresent.Message);
        var never = await images.EnsureImageAsync(NewPod(), NewContainer(reference, "Never"), Sandbox(), CancellationToken.None);
        Assert.Equal(ifNotPresent.ImageRef, never.ImageRef);
        // A tagged image defaults to IfNotPresent.
        Assert.True((await images.EnsureImageAsync(NewPod(), NewContainer(reference), Sandbox(), CancellationToken.None)).Succeeded);

        var always = await images.EnsureImageAsync(NewPod(), NewContainer(reference, "Always"), Sandbox(), CancellationToken.None);
        Assert.Equal("ErrImagePull", always.Reason);
    }

    [Fact]
    public async Task EnsureImage_InvalidReference_IsInvalidImageName()
    {
        var images = new ImageManager(_containerd.Cri, NullLogger.Instance);
        var result = await images.EnsureImageAsync(NewPod(), NewContainer("Bad Image:1"), Sandbox(), CancellationToken.None);
        Assert.Equal("InvalidImageName", result.Reason);
        Assert.Contains("Bad Image:1", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportDirectory_ArchiveInImagesDir_IsImportedAndRuns_BadArchiveIsNamed()
    {
        var imagesDir = Path.Combine(_containerd.DataDirectory, "agent", "images");
        Directory.CreateDirectory(imagesDir);
        const string reference = "localhost/kpf-test/offline:1";
        File.Copy(TestImages.Build(new OciImageSpec { Reference = reference, Cmd = ["sh", "-c", "exit 7"] }), Path.Combine(imagesDir, "offline.tar"));
        await File.WriteAllTextAsync(Path.Combine(imagesDir, "broken.tar"), "not a tar");
        await File.WriteAllTextAsync(Path.Combine(imagesDir, "notes.txt"), "ignored");

        var importer = new ImageArchiveImporter(_containerd.SocketPath, NullLogger.Instance);
        var e = await Assert.ThrowsAsync<AggregateException>(() => importer.ImportDirectoryAsync(imagesDir, CancellationToken.None));
        var failure = Assert.IsType<ImageImportException>(Assert.Single(e.InnerExceptions));
        Assert.Equal(Path.Combine(imagesDir, "broken.tar"), failure.Archive);
        Assert.Contains("broken.tar", failure.Message, StringComparison.Ordinal);

        var images = new ImageManager(_containerd.Cri, NullLogger.Instance);
        var result = await images.EnsureImageAsync(NewPod(), NewContainer(reference, "Never"), Sandbox(), CancellationToken.None);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(7, await RunToExitAsync(result.ImageRef!, []));
    }

    [Fact]
    public async Task ImportSandboxImage_BuildsAndImportsThePause_UnderTheGivenName()
    {
        const string reference = "localhost/kpf-test/pause:import";
        var importer = new ImageArchiveImporter(_containerd.SocketPath, NullLogger.Instance);
        var info = await importer.ImportSandboxImageAsync(Path.Combine(_containerd.DataDirectory, "agent", "containerd"), reference, CancellationToken.None);

        var status = await _containerd.Cri.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = reference } });
        Assert.Equal(info.ConfigDigest, status.Image.Id);
    }

    private static Pod NewPod() => new()
    {
        Metadata = new ObjectMeta { Name = "p", Namespace = "default", Uid = Guid.NewGuid().ToString() },
    };

    private static Container NewContainer(string image, string? policy = null) => new() { Name = "c", Image = image, ImagePullPolicy = policy };

    private PodSandboxConfig Sandbox(string name = "images") => new()
    {
        Metadata = new PodSandboxMetadata { Name = name, Namespace = "default", Uid = Guid.NewGuid().ToString() },
        LogDirectory = Path.Combine(_containerd.DataDirectory, "logs", name),
        Linux = new LinuxPodSandboxConfig
        {
            CgroupParent = _containerd.CgroupParent,
            SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Node } },
        },
    };

    /// <summary>Runs <paramref name="command"/> (the image's own when empty) in a host-network sandbox; returns its exit code.</summary>
    private async Task<int> RunToExitAsync(string imageRef, string[] command)
    {
        var sandbox = Sandbox("run-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(sandbox.LogDirectory);
        var pod = await _containerd.Cri.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = sandbox });
        try
        {
            var config = new ContainerConfig
            {
                Metadata = new ContainerMetadata { Name = "c" },
                Image = new ImageSpec { Image = imageRef },
                LogPath = "c.log",
            };
            config.Command.AddRange(command);
            var created = await _containerd.Cri.Runtime.CreateContainerAsync(new CreateContainerRequest { PodSandboxId = pod.PodSandboxId, Config = config, SandboxConfig = sandbox });
            await _containerd.Cri.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = created.ContainerId });
            ContainerStatus? status = null;
            await Eventually.True(async () =>
            {
                status = (await _containerd.Cri.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = created.ContainerId })).Status;
                return status.State == ContainerState.ContainerExited;
            }, "the container exited", TimeSpan.FromSeconds(20));
            return status!.ExitCode;
        }
        finally
        {
            await _containerd.Cri.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = pod.PodSandboxId });
            await _containerd.Cri.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = pod.PodSandboxId });
        }
    }
}
