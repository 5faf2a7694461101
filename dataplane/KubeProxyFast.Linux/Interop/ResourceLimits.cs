using System.Runtime.InteropServices;

namespace KubeProxyFast.Linux.Interop;

/// <summary>getrlimit(2) for the descriptor limit, and how many descriptors are open now.</summary>
public static partial class ResourceLimits
{
    private const int RLIMIT_NOFILE = 7;

    /// <summary>The soft RLIMIT_NOFILE: how many descriptors this process may have open.</summary>
    public static long OpenFilesLimit()
    {
        if (getrlimit(RLIMIT_NOFILE, out var limit) != 0)
        {
            throw new NativeCallException("getrlimit", "RLIMIT_NOFILE", Marshal.GetLastPInvokeError());
        }

        return limit.rlim_cur > long.MaxValue ? long.MaxValue : (long)limit.rlim_cur;
    }

    /// <summary>Descriptors open now (entries of /proc/self/fd).</summary>
    public static int OpenFiles() => Directory.GetFiles("/proc/self/fd").Length;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out RLimit rlim);

    // struct rlimit (sys/resource.h).
    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong rlim_cur;
        public ulong rlim_max;
    }
}
