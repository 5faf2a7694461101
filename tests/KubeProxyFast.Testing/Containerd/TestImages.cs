using KubeProxyFast.Kubelet.Images;

namespace KubeProxyFast.Testing.Containerd;

/// <summary>
/// Small images for kubelet tests, built from busybox-static with the kubelet's own
/// <see cref="OciImageArchive"/> once per test run into a temp directory (removed at exit).
/// Import an archive with <see cref="TestContainerd.ImportAsync"/> or push it with
/// <see cref="TestRegistry.PushAsync"/>.
/// </summary>
public static class TestImages
{
    /// <summary>The name <see cref="BusyboxArchive"/> carries (for import; pushing renames it).</summary>
    public const string BusyboxReference = "localhost/kpf-test/busybox:1";

    private static readonly Lock s_lock = new();
    private static int s_count;
    private static readonly Lazy<string> s_sandbox = new(() => Build(SandboxImage.Spec()));
    private static readonly Lazy<string> s_busybox = new(() => Build(new OciImageSpec { Reference = BusyboxReference, Cmd = ["sh"] }));
    private static readonly Lazy<string> s_directory = new(() =>
    {
        var directory = Directory.CreateTempSubdirectory("kpft-images-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return directory;
    });

    /// <summary>The sandbox (pause) image archive, named <see cref="SandboxImage.DefaultReference"/>.</summary>
    public static string SandboxArchive => s_sandbox.Value;

    /// <summary>A busybox image (no entrypoint, cmd <c>sh</c>), named <see cref="BusyboxReference"/>.</summary>
    public static string BusyboxArchive => s_busybox.Value;

    /// <summary>Builds the archive of <paramref name="spec"/> into the run's image directory and returns its path (callers keep it for reuse).</summary>
    public static string Build(OciImageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int n;
        lock (s_lock)
        {
            n = ++s_count;
        }
        var path = Path.Combine(s_directory.Value, $"image-{n}.tar");
        OciImageArchive.WriteFile(spec, path);
        return path;
    }
}
