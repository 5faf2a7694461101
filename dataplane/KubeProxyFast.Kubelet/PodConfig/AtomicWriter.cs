using System.Globalization;
using System.Runtime.InteropServices;
using KubeProxyFast.Linux.Interop;

namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>One file of a projected volume: its relative path, content and mode.</summary>
/// <param name="Path">Relative path inside the volume (validated: no <c>..</c>, not absolute).</param>
/// <param name="Content">The bytes.</param>
/// <param name="Mode">Unix permission bits.</param>
public sealed record ProjectedFile(string Path, byte[] Content, UnixFileMode Mode);

/// <summary>
/// Writes a configMap/secret volume so a reader never sees a mix of old and new files, in
/// Kubernetes' AtomicWriter layout: the files live in a fresh <c>..&lt;timestamp&gt;</c> directory,
/// the <c>..data</c> symlink is switched to it by one rename(2), and each top-level entry the user
/// sees is a symlink through <c>..data</c>. The previous directory and entries no longer projected
/// are then removed.
/// </summary>
public static class AtomicWriter
{
    /// <summary>The symlink to the current payload directory.</summary>
    public const string DataDirectoryName = "..data";

    private const string NewDataDirectoryName = "..data_tmp";

    /// <summary>Writes <paramref name="files"/> into <paramref name="directory"/> (created if needed), replacing what was there.</summary>
    public static void Write(string directory, IReadOnlyList<ProjectedFile> files)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(files);
        Directory.CreateDirectory(directory);
        var dataLink = Path.Combine(directory, DataDirectoryName);
        var previous = new FileInfo(dataLink).LinkTarget;

        // The payload, complete, in a directory no reader looks at yet.
        var stamp = ".." + DateTime.UtcNow.ToString("yyyy_MM_dd_HH_mm_ss.fffffff", CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];
        var payload = Path.Combine(directory, stamp);
        Directory.CreateDirectory(payload);
        VolumeSyscalls.SetMode(payload, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                      UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var file in files)
        {
            var target = Path.Combine(payload, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, file.Content);
            VolumeSyscalls.SetMode(target, file.Mode);
        }

        // Switch: a new symlink renamed over ..data (rename(2) replaces it atomically).
        var newLink = Path.Combine(directory, NewDataDirectoryName);
        if (new FileInfo(newLink).LinkTarget is not null)
        {
            File.Delete(newLink);
        }

        File.CreateSymbolicLink(newLink, stamp);
        if (VolumeSyscalls.rename(newLink, dataLink) != 0)
        {
            throw new NativeCallException("rename", dataLink, Marshal.GetLastPInvokeError());
        }

        // The names users see: one symlink per top-level entry, through ..data.
        var topLevel = files.Select(f => f.Path.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var name in topLevel)
        {
            var link = Path.Combine(directory, name);
            if (new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, Path.Combine(DataDirectoryName, name));
            }
        }

        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith("..", StringComparison.Ordinal) || topLevel.Contains(entry.Name))
            {
                continue;
            }

            // A name no longer projected (only our own symlinks live here).
            if (entry.LinkTarget is not null)
            {
                File.Delete(entry.FullName);
            }
        }

        if (previous is not null && previous != stamp)
        {
            var old = Path.Combine(directory, previous);
            if (Directory.Exists(old))
            {
                Directory.Delete(old, recursive: true);
            }
        }
    }
}
