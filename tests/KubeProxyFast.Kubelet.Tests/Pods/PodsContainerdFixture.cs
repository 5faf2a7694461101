using System.Collections.Concurrent;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Kubelet.Cri.V1;
using KubeProxyFast.Kubelet.Images;
using KubeProxyFast.Kubelet.Pods;
using KubeProxyFast.Testing;
using KubeProxyFast.Testing.Containerd;
using Microsoft.Extensions.Logging.Abstractions;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.Tests.Pods;

/// <summary>
/// One private containerd in a test network namespace for the pod lifecycle tests, with a
/// bridge + host-local CNI network (198.18.7.0/24, IPAM state under the fixture's directory) and
/// the busybox test image imported.
/// </summary>
public sealed class PodsContainerdFixture : IAsyncLifetime
{
    private NetworkNamespace? _ns;

    public TestContainerd Containerd { get; private set; } = null!;

    public RuntimeService.RuntimeServiceClient Runtime => Containerd.Cri.Runtime;

    public async Task InitializeAsync()
    {
        // No local ranges: the pods' 198.18.7.0/24 must route to the bridge, not to lo.
        _ns = NetworkNamespace.Create("");
        try
        {
            Containerd = await TestContainerd.StartAsync(_ns);
            Directory.CreateDirectory(Containerd.CniConfDirectory);
            var ipam = Path.Combine(Containerd.DataDirectory, "cni-ipam");
            await File.WriteAllTextAsync(Path.Combine(Containerd.CniConfDirectory, "10-kpft.conflist"), $$$"""
                {"cniVersion":"0.4.0","name":"kpft-pods","plugins":[
                  {"type":"bridge","bridge":"kpft0","isGateway":true,"ipMasq":false,
                   "ipam":{"type":"host-local","dataDir":"{{{ipam}}}","ranges":[[{"subnet":"198.18.7.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}]}}]}
                """);
            await Containerd.ImportAsync(TestImages.BusyboxArchive);
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
            if (Containerd is not null)
            {
                await Containerd.DisposeAsync();
            }
        }
        finally
        {
            _ns?.Dispose();
        }
    }

    public KubeletOptions Options => new()
    {
        DataDirectory = Containerd.DataDirectory,
        CgroupRoot = Containerd.CgroupParent,
        SyncFrequency = TimeSpan.FromSeconds(2),
    };

    /// <summary>The busybox image, already imported: its id, as the image manager would answer.</summary>
    public async Task<ImagePullResult> EnsureImageAsync(Pod pod, Container container, PodSandboxConfig sandbox, CancellationToken ct)
    {
        var status = await Containerd.Cri.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = TestImages.BusyboxReference } }, cancellationToken: ct);
        return status.Image is null
            ? new ImagePullResult(null, "ErrImageNeverPull", "not imported")
            : new ImagePullResult(status.Image.Id, null, null);
    }

    public PodSyncer NewSyncer(ContainerBackoff? backoff = null) =>
        new(Runtime, EnsureImageAsync, new BasicPodConfigSource(), Options, TimeProvider.System, NullLogger<PodSyncer>.Instance,
            backoff ?? new ContainerBackoff(TimeProvider.System, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)));

    public PodWorkers NewWorkers(PodSyncer syncer, RecordingSink sink) =>
        new(syncer, sink, Options, TimeProvider.System, NullLogger<PodWorkers>.Instance);

    public static Pod NewPod(string name, string restartPolicy, params Container[] containers) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default", Uid = Guid.NewGuid().ToString() },
        Spec = new PodSpec { Containers = [.. containers], RestartPolicy = restartPolicy, TerminationGracePeriodSeconds = 2 },
    };

    public static Container Shell(string name, string script) => new()
    {
        Name = name,
        Image = TestImages.BusyboxReference,
        Command = ["sh", "-c", script],
    };

    /// <summary>Runs a command in a container and returns its stdout (throws on a non-zero exit).</summary>
    public async Task<string> ExecAsync(string containerId, params string[] cmd)
    {
        var request = new ExecSyncRequest { ContainerId = containerId, Timeout = 10 };
        request.Cmd.AddRange(cmd);
        var response = await Runtime.ExecSyncAsync(request);
        return response.ExitCode == 0
            ? response.Stdout.ToStringUtf8().Trim()
            : throw new InvalidOperationException($"{string.Join(' ', cmd)}: exit {response.ExitCode}: {response.Stderr.ToStringUtf8()}");
    }
}

/// <summary>Keeps what the pod workers report, per pod uid.</summary>
public sealed class RecordingSink : IPodStatusSink
{
    public ConcurrentDictionary<string, PodRuntimeState> Synced { get; } = new();

    public ConcurrentDictionary<string, PodRuntimeState> Terminated { get; } = new();

    public ConcurrentBag<string> Removed { get; } = [];

    public ConcurrentQueue<(string Uid, ContainerWaiting Waiting)> Waits { get; } = new();

    public void PodSynced(Pod pod, PodRuntimeState state)
    {
        Synced[pod.Metadata.Uid!] = state;
        foreach (var (_, waiting) in state.Waiting)
        {
            Waits.Enqueue((pod.Metadata.Uid!, waiting));
        }
    }

    public void PodTerminated(Pod pod, PodRuntimeState state) => Terminated[pod.Metadata.Uid!] = state;

    public void PodRemoved(string uid) => Removed.Add(uid);
}
