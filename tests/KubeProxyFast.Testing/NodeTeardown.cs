using System.Globalization;
using System.Runtime.InteropServices;
using KubeProxyFast.Linux.Namespaces;
using Tmds.Linux;

namespace KubeProxyFast.Testing;

/// <summary>
/// What a test node leaves behind once its kubelet is gone, found and removed: the processes (the
/// containerd the kubelet started, the runc shims, which outlive containerd by design, and the
/// containers under them), the pod network namespaces containerd bind-mounted into /run/netns, the
/// cgroups of those processes, and mounts under the node's directory.
/// </summary>
/// <remarks>
/// The kubelet runs under <c>nsenter --net</c> (not <c>ip netns exec</c>, whose private /sys has no
/// cgroup mounts, so runc fails "no cgroup mount found in mountinfo"): its mounts (rootfs overlays,
/// pods' /dev/shm and tmpfs volumes, the pod network namespaces under /run/netns) are the machine's,
/// and go here: mounts under the node's directory, and the cni-… namespaces that were a node
/// process's network namespace.
/// </remarks>
public static partial class NodeTeardown
{
    private const int MNT_DETACH = 2;

    /// <summary>
    /// The processes of a node: every process in network namespace <paramref name="netnsLink"/>
    /// (<c>net:[inode]</c>), every process whose command line names <paramref name="directory"/>, and all
    /// their descendants; never this process.
    /// </summary>
    public static IReadOnlyList<int> FindProcesses(string netnsLink, string directory)
    {
        var parents = new Dictionary<int, int>();
        var roots = new HashSet<int>();
        foreach (var pid in AllPids())
        {
            if (pid == Environment.ProcessId || ParentOf(pid) is not { } parent)
            {
                continue;
            }

            parents[pid] = parent;
            if (NetnsOf(pid) == netnsLink || CommandLineOf(pid).Contains(directory, StringComparison.Ordinal))
            {
                roots.Add(pid);
            }
        }

        // Descendants: children are found by walking each process's parent chain to a root.
        var found = new HashSet<int>(roots);
        foreach (var pid in parents.Keys)
        {
            for (var p = pid; parents.TryGetValue(p, out var parent) && p != 1; p = parent)
            {
                if (found.Contains(parent))
                {
                    found.Add(pid);
                    break;
                }
            }
        }

        found.Remove(Environment.ProcessId);
        return [.. found];
    }

    /// <summary>
    /// Kills (SIGKILL) every process of the node until none is left, then removes their cgroups
    /// (below the first level, which a cgroup root such as /kubepods may share with other nodes)
    /// and the /run/netns entries of the pod network namespaces they had mounted.
    /// </summary>
    public static async Task KillAllAsync(string netnsLink, string directory)
    {
        var cgroups = new HashSet<string>(StringComparer.Ordinal);
        var netnsLinks = new HashSet<string>(StringComparer.Ordinal);
        var ownCgroups = CgroupsOf(Environment.ProcessId).ToHashSet(StringComparer.Ordinal);
        for (var round = 0; round < 50; round++)
        {
            var pids = FindProcesses(netnsLink, directory);
            if (pids.Count == 0)
            {
                break;
            }

            foreach (var pid in pids)
            {
                if (NetnsOf(pid) is { } link && link != netnsLink)
                {
                    netnsLinks.Add(link);
                }

                cgroups.UnionWith(CgroupsOf(pid).Where(c => !ownCgroups.Contains(c)));
                _ = LibC.kill(pid, LibC.SIGKILL);
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        // The pod network namespaces containerd bind-mounted under /run/netns (cni-…): only those
        // that are the namespace of one of the node's processes, never anyone else's.
        foreach (var name in NetworkNamespaces.List().Where(n => n.StartsWith("cni-", StringComparison.Ordinal)))
        {
            try
            {
                if (netnsLinks.Contains(NetworkNamespaces.Run(name, () => new FileInfo("/proc/thread-self/ns/net").LinkTarget ?? "")))
                {
                    NetworkNamespaces.Delete(name);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Gone meanwhile, or not a namespace.
            }
        }

        RemoveCgroups(cgroups);
    }

    /// <summary>The mount points below <paramref name="directory"/> in this process's mount namespace, deepest first.</summary>
    public static IReadOnlyList<string> MountsUnder(string directory)
    {
        var prefix = directory.TrimEnd('/') + "/";
        return [.. File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => Unescape(line.Split(' ')[4]))
            .Where(point => point.StartsWith(prefix, StringComparison.Ordinal) || point == directory)
            .Distinct()
            .OrderByDescending(point => point.Length)];
    }

    /// <summary>Unmounts (lazily) everything below <paramref name="directory"/>.</summary>
    public static void UnmountAllUnder(string directory)
    {
        for (var round = 0; round < 5; round++)
        {
            var mounts = MountsUnder(directory);
            if (mounts.Count == 0)
            {
                return;
            }

            foreach (var point in mounts)
            {
                _ = umount2(point, MNT_DETACH);
            }
        }
    }

    /// <summary>The <c>net:[inode]</c> link of the namespace (as /proc/PID/ns/net reads for its processes).</summary>
    public static string NetnsLinkOf(NetworkNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.Run(() => new FileInfo("/proc/thread-self/ns/net").LinkTarget ?? "");
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int umount2(string target, int flags);

    private static IEnumerable<int> AllPids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    private static int? ParentOf(int pid)
    {
        var status = Read($"/proc/{pid}/status");
        var line = status?.Split('\n').FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
        return line is null ? null : int.Parse(line[5..].Trim(), CultureInfo.InvariantCulture);
    }

    private static string? NetnsOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/net").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string CommandLineOf(int pid) => Read($"/proc/{pid}/cmdline")?.Replace('\0', ' ') ?? "";

    // "4:memory:/kubepods/pod…/…" → "memory:/kubepods/pod…/…" (cgroup v1 hierarchies; "0::/…" is the unified one).
    private static IEnumerable<string> CgroupsOf(int pid) =>
        (Read($"/proc/{pid}/cgroup") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..]);

    private static void RemoveCgroups(IEnumerable<string> cgroups)
    {
        foreach (var entry in cgroups)
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            var controllers = entry[..colon];
            var path = entry[(colon + 1)..];
            var hierarchy = controllers.Length == 0 ? "unified" : controllers.Replace("name=", "", StringComparison.Ordinal);
            // Deepest first, never the first level (shared) nor the root.
            for (var p = path; p.Count(c => c == '/') > 1; p = p[..p.LastIndexOf('/')])
            {
                try
                {
                    Directory.Delete($"/sys/fs/cgroup/{hierarchy}{p}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    break; // Busy (another node's pods) or gone.
                }
            }
        }
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo.
    private static string Unescape(string field) =>
        field.Contains('\\', StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString())
            : field;
}
