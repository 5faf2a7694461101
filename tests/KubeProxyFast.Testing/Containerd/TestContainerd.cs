using System.Globalization;
using Grpc.Core;
using KubeProxyFast.Kubelet.Cri;
using KubeProxyFast.Kubelet.Cri.V1;
using KubeProxyFast.Kubelet.Images;
using KubeProxyFast.Kubelet.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tmds.Linux;

namespace KubeProxyFast.Testing.Containerd;

/// <summary>
/// A private containerd for a test: the kubelet's own <see cref="EmbeddedContainerd"/> run inside
/// a test network namespace (entered with <c>nsenter --net</c>, so CNI makes its bridges there) with everything under a
/// temp data directory laid out as the kubelet's (<c>agent/containerd/</c>, <c>agent/etc/cni/net.d/</c>),
/// the sandbox image <see cref="SandboxImage.DefaultReference"/> imported. Dispose removes it
/// completely: sandboxes and containers stopped and removed through CRI, containerd stopped, left-over
/// shims and their containers killed, mounts under the directory unmounted, the directory deleted.
/// </summary>
/// <remarks>
/// Usage: <c>await using var ctd = await TestContainerd.StartAsync(ns);</c> then <c>ctd.Cri.Runtime…</c>.
/// A test that wants pod networking writes a CNI conflist into <see cref="CniConfDirectory"/>;
/// without one, use <c>NamespaceMode.Node</c> for the sandbox's network.
/// </remarks>
public sealed class TestContainerd : IAsyncDisposable
{
    private readonly NetworkNamespace _ns;

    private TestContainerd(NetworkNamespace ns, string dataDirectory, EmbeddedContainerd containerd)
    {
        _ns = ns;
        DataDirectory = dataDirectory;
        Containerd = containerd;
        Cri = CriConnection.Open(containerd.Endpoint);
    }

    /// <summary>The kubelet-style data directory (<c>--data-dir</c>) everything lives under.</summary>
    public string DataDirectory { get; }

    /// <summary>The supervised containerd (its config, pid, restarts).</summary>
    public EmbeddedContainerd Containerd { get; }

    /// <summary>The CRI endpoint, <c>unix://…/containerd.sock</c>.</summary>
    public string Endpoint => Containerd.Endpoint;

    /// <summary>The containerd socket path.</summary>
    public string SocketPath => Containerd.Config.SocketPath;

    /// <summary>A CRI connection to it (owned by the fixture).</summary>
    public CriConnection Cri { get; }

    /// <summary>Where the CRI plugin reads CNI network configs; empty at start.</summary>
    public string CniConfDirectory => Containerd.Config.CniConfDirectory;

    /// <summary>The sandbox image configured and imported.</summary>
    public string SandboxImage => Containerd.Config.SandboxImage;

    /// <summary>
    /// A cgroup parent (cgroupfs path) private to this fixture for the sandboxes tests create
    /// (<c>LinuxPodSandboxConfig.CgroupParent</c>); removed from every hierarchy on dispose.
    /// </summary>
    public string CgroupParent { get; } = $"/kpft-{Environment.ProcessId}-{Guid.NewGuid():N}"[..28];

    /// <summary>The network namespace it runs in.</summary>
    public NetworkNamespace Namespace => _ns;

    /// <summary>
    /// Starts containerd in <paramref name="ns"/> with <paramref name="registry"/> rendered into its
    /// config, and imports the sandbox image (built once per run by <see cref="TestImages"/>).
    /// </summary>
    public static async Task<TestContainerd> StartAsync(NetworkNamespace ns, RegistryConfig? registry = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var dataDirectory = Directory.CreateTempSubdirectory("kpft-ctd-").FullName;
        var config = ContainerdConfig.ForDataDirectory(dataDirectory, Kubelet.Images.SandboxImage.DefaultReference, "/usr/lib/cni", registry);
        var containerd = new EmbeddedContainerd(config, logger ?? NullLogger.Instance, new EmbeddedContainerdOptions
        {
            LauncherPrefix = LauncherFor(ns),
            StopGracePeriod = TimeSpan.FromSeconds(5),
        });
        var fixture = new TestContainerd(ns, dataDirectory, containerd);
        try
        {
            await containerd.StartAsync(CancellationToken.None);
            await fixture.ImportAsync(TestImages.SandboxArchive);
            return fixture;
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The launcher that runs a program in <paramref name="ns"/>'s network namespace only:
    /// <c>nsenter --net=/run/netns/NAME</c>. Not <c>ip netns exec</c>: it also makes a mount namespace
    /// with a fresh /sys, where the cgroup hierarchies are gone and runc fails with "no cgroup mount
    /// found in mountinfo". containerd thus shares the machine's mount namespace (as a kubelet's does,
    /// so volumes the kubelet mounts are seen by it); its mounts stay under the data directory and are
    /// unmounted on dispose.
    /// </summary>
    public static IReadOnlyList<string> LauncherFor(NetworkNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ["nsenter", $"--net={ns.Path}"];
    }

    /// <summary>Imports an image archive into the k8s.io namespace (as the kubelet does at start).</summary>
    public Task ImportAsync(string archive) => new ImageArchiveImporter(SocketPath, NullLogger.Instance).ImportAsync(archive, CancellationToken.None);

    /// <summary>Runs <c>ctr -n k8s.io ARGS</c> against this containerd and returns its output.</summary>
    public ProcessResult Ctr(params string[] args) => ProcessResult.Run("ctr", ["--address", SocketPath, "--namespace", "k8s.io", .. args]);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Containerd.ProcessId is not null)
            {
                await RemoveAllPodsAsync();
            }
        }
        finally
        {
            Cri.Dispose();
            await Containerd.DisposeAsync();
            KillShims();
            RemoveCgroups(CgroupParent);
            UnmountUnder(DataDirectory);
            // KPFT_KEEP_CONTAINERD=1 keeps the directory (config, containerd.log) to debug a failure.
            if (!MountedUnder(DataDirectory).Any() && Environment.GetEnvironmentVariable("KPFT_KEEP_CONTAINERD") != "1")
            {
                DeleteDirectory(DataDirectory);
            }
        }
    }

    private async Task RemoveAllPodsAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        try
        {
            var pods = await Cri.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest(), deadline: deadline);
            foreach (var pod in pods.Items)
            {
                await Cri.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = pod.Id }, deadline: deadline);
                await Cri.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = pod.Id }, deadline: deadline);
            }
            var containers = await Cri.Runtime.ListContainersAsync(new ListContainersRequest(), deadline: deadline);
            foreach (var container in containers.Containers)
            {
                await Cri.Runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = container.Id }, deadline: deadline);
            }
        }
        catch (RpcException)
        {
            // containerd may be down (a test killed it): the shims are killed below.
        }
    }

    /// <summary>Kills the shims started by this containerd (their cmdline names its socket) and every process under them.</summary>
    private void KillShims()
    {
        var parents = new Dictionary<int, int>();
        var shims = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // pid (comm) state ppid …: comm may hold spaces, so parse after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (cmdline.Length > 0 && cmdline[0].Contains("containerd-shim", StringComparison.Ordinal) && cmdline.Contains(SocketPath))
                {
                    shims.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we read it.
            }
        }

        foreach (var shim in shims)
        {
            var tree = new List<int> { shim };
            for (var i = 0; i < tree.Count; i++)
            {
                tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
            }
            // Children first, so that nothing is reparented to init before its turn.
            foreach (var pid in Enumerable.Reverse(tree))
            {
                _ = LibC.kill(pid, LibC.SIGKILL);
            }
        }
        if (shims.Count > 0)
        {
            Thread.Sleep(200);
        }
    }

    /// <summary>Deletes the data directory, retrying while late writers (a CNI plugin, a dying shim) still add files.</summary>
    private static void DeleteDirectory(string directory)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static void RemoveCgroups(string parent)
    {
        foreach (var hierarchy in Directory.Exists("/sys/fs/cgroup") ? Directory.GetDirectories("/sys/fs/cgroup") : [])
        {
            var root = hierarchy + parent;
            if (!Directory.Exists(root))
            {
                continue;
            }
            // cgroup directories are removed with rmdir, children first; their files cannot be deleted.
            foreach (var dir in Directory.GetDirectories(root, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(root))
            {
                try
                {
                    Directory.Delete(dir);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private static IEnumerable<string> MountedUnder(string directory)
    {
        var prefix = directory.TrimEnd('/') + "/";
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var mountPoint = line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal);
            if (mountPoint.StartsWith(prefix, StringComparison.Ordinal) || mountPoint == directory)
            {
                yield return mountPoint;
            }
        }
    }

    private static void UnmountUnder(string directory)
    {
        // Deepest first; lazily, so that a busy mount still leaves the tree.
        foreach (var mountPoint in MountedUnder(directory).OrderByDescending(m => m.Length).ToList())
        {
            _ = ProcessResult.Run("umount", ["-l", mountPoint]);
        }
    }
}
