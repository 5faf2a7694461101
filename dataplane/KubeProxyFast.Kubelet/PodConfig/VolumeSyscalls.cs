using System.Runtime.InteropServices;

namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>The system calls behind volumes (<c>sys/mount.h</c>, <c>sys/stat.h</c>), with the C names and values.</summary>
internal static class VolumeSyscalls
{
    public const ulong MS_NOSUID = 2;
    public const ulong MS_NODEV = 4;
    public const int MNT_DETACH = 2;
    public const int AT_FDCWD = -100;
    public const uint STATX_TYPE = 1;

    public const int S_IFMT = 0xF000;
    public const int S_IFSOCK = 0xC000;
    public const int S_IFREG = 0x8000;
    public const int S_IFBLK = 0x6000;
    public const int S_IFDIR = 0x4000;
    public const int S_IFCHR = 0x2000;

    // struct statx is the same on every architecture (linux/stat.h): stx_mode is the __u16 at 28.
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28;

    [DllImport("libc", EntryPoint = "mount", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    public static extern int mount(string source, string target, string fileSystemType, ulong flags, string? data);

    [DllImport("libc", EntryPoint = "umount2", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    public static extern int umount2(string target, int flags);

    [DllImport("libc", EntryPoint = "rename", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    public static extern int rename(string oldPath, string newPath);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);

    /// <summary>Sets <paramref name="path"/>'s permission bits (the kubelet runs on Linux only).</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException();
        }

        File.SetUnixFileMode(path, mode);
    }

    /// <summary>The file type bits (<c>S_IFMT</c>) of <paramref name="path"/>, following symlinks; null when it does not exist.</summary>
    public static int? FileType(string path)
    {
        var buffer = new byte[StatxSize];
        if (statx(AT_FDCWD, path, 0, STATX_TYPE, buffer) != 0)
        {
            return null;
        }

        return BitConverter.ToUInt16(buffer, StatxModeOffset) & S_IFMT;
    }
}
