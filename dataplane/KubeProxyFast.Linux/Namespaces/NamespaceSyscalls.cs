using System.Runtime.InteropServices;

namespace KubeProxyFast.Linux.Namespaces;

/// <summary>The system calls behind network namespaces (<c>sys/mount.h</c>, <c>sched.h</c>, <c>fcntl.h</c>), with the C names and values.</summary>
internal static partial class NamespaceSyscalls
{
    public const int CLONE_NEWNET = 0x40000000;

    public const ulong MS_BIND = 4096;
    public const ulong MS_REC = 16384;
    public const ulong MS_SHARED = 1 << 20;

    public const int MNT_DETACH = 2;

    public const int O_RDONLY = 0;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string source, string target, string fileSystemType, ulong flags, nint data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    public static partial int unshare(int flags);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlink(string path);
}
