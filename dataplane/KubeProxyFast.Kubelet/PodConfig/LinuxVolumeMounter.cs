using System.Globalization;
using System.Runtime.InteropServices;
using KubeProxyFast.Linux.Interop;

namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>
/// <see cref="IVolumeMounter"/> through mount(2) in the calling thread's mount namespace (the
/// kubelet's; a test's private one when a test thread has unshared it). Mount points are read from
/// <c>/proc/thread-self/mountinfo</c>, which is that thread's view.
/// </summary>
public sealed class LinuxVolumeMounter : IVolumeMounter
{
    /// <inheritdoc/>
    public void MountTmpfs(string target, long? sizeBytes)
    {
        ArgumentNullException.ThrowIfNull(target);
        var options = sizeBytes is { } size ? string.Create(CultureInfo.InvariantCulture, $"size={size}") : null;
        if (VolumeSyscalls.mount("tmpfs", target, "tmpfs", VolumeSyscalls.MS_NOSUID | VolumeSyscalls.MS_NODEV, options) != 0)
        {
            throw new NativeCallException("mount tmpfs", target, Marshal.GetLastPInvokeError());
        }
    }

    /// <inheritdoc/>
    public void Unmount(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (VolumeSyscalls.umount2(target, VolumeSyscalls.MNT_DETACH) != 0)
        {
            throw new NativeCallException("umount", target, Marshal.GetLastPInvokeError());
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> MountPointsUnder(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var found = new List<string>();
        foreach (var line in File.ReadLines("/proc/thread-self/mountinfo"))
        {
            // Field 5 is the mount point, with ' ', '\t', '\n' and '\\' written as octal escapes.
            var fields = line.Split(' ');
            if (fields.Length < 5)
            {
                continue;
            }

            var point = Unescape(fields[4]);
            if (point == root || point.StartsWith(root + "/", StringComparison.Ordinal))
            {
                found.Add(point);
            }
        }

        return found.Distinct(StringComparer.Ordinal).OrderByDescending(p => p.Length).ToList();
    }

    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var builder = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length)
            {
                builder.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }
}
