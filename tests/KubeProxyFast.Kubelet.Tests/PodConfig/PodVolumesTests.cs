using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Kubelet.PodConfig;

namespace KubeProxyFast.Kubelet.Tests.PodConfig;

public sealed class PodVolumesTests : IDisposable
{
    private const string Uid = "7d0c7a52-aaaa-bbbb-cccc-0123456789ab";
    private readonly string _root = Directory.CreateTempSubdirectory("kpf-podvolumes-").FullName;
    private readonly FakeMounter _mounter = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private PodVolumes Volumes() => new(Path.Combine(_root, "data"), _mounter);

    private static Pod Pod(List<Volume> volumes, params VolumeMount[] mounts) => new()
    {
        Metadata = new() { Name = "p", Namespace = "default", Uid = Uid },
        Spec = new() { Volumes = volumes, Containers = [new() { Name = "c", Image = "busybox", VolumeMounts = [.. mounts] }] },
    };

    private static ConfigMap? NoConfigMap(string name) => null;

    private static Secret? NoSecret(string name) => null;

    private static UnixFileMode Mode(string path) => OperatingSystem.IsLinux() ? File.GetUnixFileMode(path) : throw new PlatformNotSupportedException();

    [Fact]
    public void VolumePath_KubernetesLayoutPerPlugin()
    {
        var volumes = Volumes();
        var podDir = Path.Combine(_root, "data", "agent", "pods", Uid);

        Assert.Equal(Path.Combine(podDir, "volumes", "kubernetes.io~empty-dir", "scratch"), volumes.VolumePath(Uid, new() { Name = "scratch", EmptyDir = new() }));
        Assert.Equal(Path.Combine(podDir, "volumes", "kubernetes.io~configmap", "cfg"), volumes.VolumePath(Uid, new() { Name = "cfg", ConfigMap = new() { Name = "x" } }));
        Assert.Equal(Path.Combine(podDir, "volumes", "kubernetes.io~secret", "sec"), volumes.VolumePath(Uid, new() { Name = "sec", Secret = new() { SecretName = "x" } }));
        Assert.Equal("/srv/data", volumes.VolumePath(Uid, new() { Name = "h", HostPath = new() { Path = "/srv/data" } }));
    }

    [Fact]
    public void SetUp_EmptyDirOnDisk_IsAWorldWritableDirectoryAndNoMount()
    {
        var volumes = Volumes();
        var volume = new Volume { Name = "scratch", EmptyDir = new() };

        volumes.SetUp(Pod([volume]), NoConfigMap, NoSecret);

        var path = volumes.VolumePath(Uid, volume);
        Assert.True(Directory.Exists(path));
        Assert.Equal((UnixFileMode)0x1FF, Mode(path));
        Assert.Empty(_mounter.Mounted);
    }

    [Fact]
    public void SetUp_EmptyDirMemory_MountsTmpfsOnceWithSizeLimit_TearDownUnmountsAndDeletes()
    {
        var volumes = Volumes();
        var volume = new Volume { Name = "ram", EmptyDir = new() { Medium = "Memory", SizeLimit = Quantity.Parse("64Mi") } };
        var pod = Pod([volume]);

        volumes.SetUp(pod, NoConfigMap, NoSecret);
        volumes.SetUp(pod, NoConfigMap, NoSecret);

        var path = volumes.VolumePath(Uid, volume);
        Assert.Equal([(path, (long?)(64L * 1024 * 1024))], _mounter.Mounted.Select(m => (m.Key, m.Value)));

        volumes.TearDown(Uid);

        Assert.Empty(_mounter.Mounted);
        Assert.False(Directory.Exists(volumes.PodDirectory(Uid)));
    }

    [Fact]
    public void SetUp_EmptyDirMemory_RealTmpfsInAPrivateMountNamespace()
    {
        // The mount happens on a thread that has its own mount namespace (unshare(CLONE_NEWNS), all
        // mounts made private), so the machine's namespace never sees it; the namespace ends with the thread.
        Exception? failure = null;
        string? fsType = null;
        var mountedAfterTearDown = true;
        var volumes = new PodVolumes(Path.Combine(_root, "data"));
        var volume = new Volume { Name = "ram", EmptyDir = new() { Medium = "Memory", SizeLimit = Quantity.Parse("8Mi") } };
        var thread = new Thread(() =>
        {
            try
            {
                PrivateMountNamespace();
                volumes.SetUp(Pod([volume]), NoConfigMap, NoSecret);
                var path = volumes.VolumePath(Uid, volume);
                File.WriteAllText(Path.Combine(path, "f"), "in memory");
                fsType = MountInfo().Where(f => f[4] == path).Select(f => f[f.IndexOf("-") + 1]).SingleOrDefault();
                volumes.TearDown(Uid);
                mountedAfterTearDown = MountInfo().Any(f => f[4].StartsWith(volumes.PodDirectory(Uid), StringComparison.Ordinal));
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();

        Assert.Null(failure);
        Assert.Equal("tmpfs", fsType);
        Assert.False(mountedAfterTearDown);
        Assert.False(Directory.Exists(volumes.PodDirectory(Uid)));
    }

    private static List<string[]> MountInfo() => File.ReadLines("/proc/thread-self/mountinfo").Select(l => l.Split(' ')).ToList();

    [DllImport("libc", SetLastError = true)]
    private static extern int unshare(int flags);

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int mount(string? source, string target, string? type, ulong flags, string? data);

    private static void PrivateMountNamespace()
    {
        const int CLONE_NEWNS = 0x20000;
        const ulong MS_REC = 0x4000, MS_PRIVATE = 0x40000;
        if (unshare(CLONE_NEWNS) != 0)
        {
            throw new IOException("unshare(CLONE_NEWNS): errno " + Marshal.GetLastPInvokeError());
        }

        if (mount(null, "/", null, MS_REC | MS_PRIVATE, null) != 0)
        {
            throw new IOException("mount --make-rprivate /: errno " + Marshal.GetLastPInvokeError());
        }
    }

    [Fact]
    public void SetUp_HostPathDirectoryOrCreate_Makes0755Directory()
    {
        var path = Path.Combine(_root, "host", "made");

        Volumes().SetUp(Pod([new() { Name = "h", HostPath = new() { Path = path, Type = "DirectoryOrCreate" } }]), NoConfigMap, NoSecret);

        Assert.True(Directory.Exists(path));
        Assert.Equal((UnixFileMode)0x1ED, Mode(path));
    }

    [Fact]
    public void SetUp_HostPathFileOrCreate_Makes0644File()
    {
        var path = Path.Combine(_root, "made.txt");

        Volumes().SetUp(Pod([new() { Name = "h", HostPath = new() { Path = path, Type = "FileOrCreate" } }]), NoConfigMap, NoSecret);

        Assert.True(File.Exists(path));
        Assert.Equal((UnixFileMode)0x1A4, Mode(path));
    }

    [Theory]
    [InlineData("Directory", "missing", "is not a directory")]
    [InlineData("Directory", "file", "is not a directory")]
    [InlineData("File", "dir", "is not a file")]
    [InlineData("Socket", "file", "is not a socket file")]
    [InlineData("CharDevice", "file", "is not a character device")]
    [InlineData("BlockDevice", "/dev/null", "is not a block device")]
    [InlineData("FileOrCreate", "dir", "is not a file")]
    [InlineData("DirectoryOrCreate", "file", "is not a directory")]
    public void SetUp_HostPathOfWrongType_NamesPathAndType(string type, string what, string message)
    {
        var file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "x");
        var path = what switch
        {
            "missing" => Path.Combine(_root, "nothing-here"),
            "file" => file,
            "dir" => _root,
            _ => what,
        };

        var e = Assert.Throws<ContainerConfigException>(() =>
            Volumes().SetUp(Pod([new() { Name = "h", HostPath = new() { Path = path, Type = type } }]), NoConfigMap, NoSecret));

        Assert.Equal($"hostPath type check failed: {path} {message}", e.Message);
    }

    [Fact]
    public void SetUp_HostPathOfRightType_Passes()
    {
        var socketPath = Path.Combine(_root, "s.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var file = Path.Combine(_root, "f");
        File.WriteAllText(file, "x");

        Volumes().SetUp(Pod(
        [
            new() { Name = "a", HostPath = new() { Path = socketPath, Type = "Socket" } },
            new() { Name = "b", HostPath = new() { Path = "/dev/null", Type = "CharDevice" } },
            new() { Name = "c", HostPath = new() { Path = _root, Type = "Directory" } },
            new() { Name = "d", HostPath = new() { Path = file, Type = "File" } },
            new() { Name = "e", HostPath = new() { Path = Path.Combine(_root, "anything") } },
        ]), NoConfigMap, NoSecret);
    }

    [Fact]
    public void SetUp_ConfigMap_ProjectsKeysThroughDataSymlinkWithModes()
    {
        var volumes = Volumes();
        var volume = new Volume { Name = "cfg", ConfigMap = new() { Name = "settings" } };
        var configMap = new ConfigMap { Data = new() { ["app.conf"] = "mode=fast", ["level"] = "3" }, BinaryData = new() { ["blob"] = [1, 2, 3] } };

        volumes.SetUp(Pod([volume]), n => n == "settings" ? configMap : null, NoSecret);

        var dir = volumes.VolumePath(Uid, volume);
        Assert.Equal("mode=fast", File.ReadAllText(Path.Combine(dir, "app.conf")));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(dir, "blob")));
        Assert.Equal("..data/app.conf", new FileInfo(Path.Combine(dir, "app.conf")).LinkTarget);
        Assert.StartsWith("..", new FileInfo(Path.Combine(dir, "..data")).LinkTarget, StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)0x1A4, Mode(Path.Combine(dir, "..data", "level")));
    }

    [Fact]
    public void SetUp_ConfigMapChanged_SwapsWholePayloadAndDropsOldKeys()
    {
        var volumes = Volumes();
        var volume = new Volume { Name = "cfg", ConfigMap = new() { Name = "settings" } };
        var pod = Pod([volume]);
        var dir = volumes.VolumePath(Uid, volume);
        volumes.SetUp(pod, _ => new ConfigMap { Data = new() { ["old"] = "1", ["kept"] = "a" } }, NoSecret);
        var firstPayload = new FileInfo(Path.Combine(dir, "..data")).LinkTarget!;

        volumes.SetUp(pod, _ => new ConfigMap { Data = new() { ["kept"] = "b", ["new"] = "2" } }, NoSecret);

        Assert.Equal("b", File.ReadAllText(Path.Combine(dir, "kept")));
        Assert.Equal("2", File.ReadAllText(Path.Combine(dir, "new")));
        Assert.False(File.Exists(Path.Combine(dir, "old")));
        Assert.False(new FileInfo(Path.Combine(dir, "old")).Exists || new FileInfo(Path.Combine(dir, "old")).LinkTarget is not null);
        Assert.False(Directory.Exists(Path.Combine(dir, firstPayload)));
        Assert.Equal(new[] { "..data", "kept", "new", new FileInfo(Path.Combine(dir, "..data")).LinkTarget! }.Order(StringComparer.Ordinal),
            Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SetUp_SecretItems_PathsAndModes()
    {
        var volumes = Volumes();
        var volume = new Volume
        {
            Name = "sec",
            Secret = new() { SecretName = "creds", DefaultMode = 256, Items = [new() { Key = "password", Path = "db/pass", Mode = 384 }, new() { Key = "user", Path = "user" }] },
        };
        var secret = new Secret { Data = new() { ["password"] = Encoding.UTF8.GetBytes("s3cret"), ["user"] = Encoding.UTF8.GetBytes("admin"), ["unlisted"] = [0] } };

        volumes.SetUp(Pod([volume]), NoConfigMap, n => n == "creds" ? secret : null);

        var dir = volumes.VolumePath(Uid, volume);
        Assert.Equal("s3cret", File.ReadAllText(Path.Combine(dir, "db", "pass")));
        Assert.Equal((UnixFileMode)384, Mode(Path.Combine(dir, "..data", "db", "pass")));
        Assert.Equal((UnixFileMode)256, Mode(Path.Combine(dir, "..data", "user")));
        Assert.False(File.Exists(Path.Combine(dir, "unlisted")));
    }

    [Fact]
    public void SetUp_OptionalMissing_IsAnEmptyVolume_RequiredMissingFails()
    {
        var volumes = Volumes();
        var optional = new Volume { Name = "opt", ConfigMap = new() { Name = "absent", Optional = true } };

        volumes.SetUp(Pod([optional]), NoConfigMap, NoSecret);

        Assert.Equal(["..data"], Directory.EnumerateFileSystemEntries(volumes.VolumePath(Uid, optional)).Select(Path.GetFileName).Where(n => !n!.StartsWith("..2", StringComparison.Ordinal)));
        var e = Assert.Throws<ContainerConfigException>(() =>
            volumes.SetUp(Pod([new() { Name = "req", Secret = new() { SecretName = "absent" } }]), NoConfigMap, NoSecret));
        Assert.Equal("MountVolume.SetUp failed for volume \"req\" : secret \"absent\" not found", e.Message);
        var key = Assert.Throws<ContainerConfigException>(() =>
            volumes.SetUp(Pod([new() { Name = "k", ConfigMap = new() { Name = "cm", Items = [new() { Key = "nope", Path = "x" }] } }]), _ => new ConfigMap(), NoSecret));
        Assert.Equal("MountVolume.SetUp failed for volume \"k\" : configmap references non-existent config key: nope", key.Message);
    }

    [Fact]
    public void Mounts_ReadOnlyAndSubPath_AsCriMounts()
    {
        var volumes = Volumes();
        var scratch = new Volume { Name = "scratch", EmptyDir = new() };
        var pod = Pod([scratch, new() { Name = "logs", HostPath = new() { Path = _root } }],
            new VolumeMount { Name = "scratch", MountPath = "/scratch" },
            new VolumeMount { Name = "scratch", MountPath = "/cache", SubPath = "cache/a" },
            new VolumeMount { Name = "logs", MountPath = "/logs", ReadOnly = true });
        volumes.SetUp(pod, NoConfigMap, NoSecret);

        var mounts = volumes.Mounts(pod, pod.Spec!.Containers![0]);

        var root = volumes.VolumePath(Uid, scratch);
        Assert.Equal(
            [("/scratch", root, false), ("/cache", Path.Combine(root, "cache", "a"), false), ("/logs", _root, true)],
            mounts.Select(m => (m.ContainerPath, m.HostPath, m.Readonly)));
        Assert.True(Directory.Exists(Path.Combine(root, "cache", "a")));
    }

    [Fact]
    public void Mounts_SubPathSymlinkLeadingOut_IsRefused()
    {
        var volumes = Volumes();
        var scratch = new Volume { Name = "scratch", EmptyDir = new() };
        var pod = Pod([scratch], new VolumeMount { Name = "scratch", MountPath = "/x", SubPath = "escape" });
        volumes.SetUp(pod, NoConfigMap, NoSecret);
        File.CreateSymbolicLink(Path.Combine(volumes.VolumePath(Uid, scratch), "escape"), "/etc");

        var e = Assert.Throws<ContainerConfigException>(() => volumes.Mounts(pod, pod.Spec!.Containers![0]));

        Assert.Equal("subPath \"escape\" of volume \"scratch\" leads outside the volume", e.Message);
    }

    [Fact]
    public void TearDown_DeletesPodDirectoryButNotHostPaths()
    {
        var volumes = Volumes();
        var host = Path.Combine(_root, "host-data");
        Directory.CreateDirectory(host);
        var pod = Pod([new() { Name = "scratch", EmptyDir = new() }, new() { Name = "h", HostPath = new() { Path = host } }, new() { Name = "cfg", ConfigMap = new() { Name = "c" } }]);
        volumes.SetUp(pod, _ => new ConfigMap { Data = new() { ["k"] = "v" } }, NoSecret);

        volumes.TearDown(Uid);
        volumes.TearDown(Uid);

        Assert.False(Directory.Exists(volumes.PodDirectory(Uid)));
        Assert.True(Directory.Exists(host));
    }

    private sealed class FakeMounter : IVolumeMounter
    {
        public Dictionary<string, long?> Mounted { get; } = [];

        public void MountTmpfs(string target, long? sizeBytes) => Mounted.Add(target, sizeBytes);

        public void Unmount(string target) => Assert.True(Mounted.Remove(target));

        public IReadOnlyList<string> MountPointsUnder(string directory) =>
            Mounted.Keys.Where(k => k == directory || k.StartsWith(directory + "/", StringComparison.Ordinal)).ToList();
    }
}
