using System.Runtime.InteropServices;

namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>
/// fsync(2) of a directory, which makes a created, renamed or deleted file name durable; .NET
/// cannot open a directory as a file, so this goes to libc directly.
/// </summary>
public static partial class DirectorySync
{
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x10000; // Linux
    private const int O_CLOEXEC = 0x80000;
    private const int EINTR = 4;

    /// <summary>Flushes <paramref name="path"/>'s entries to disk.</summary>
    /// <exception cref="IOException">open or fsync failed; the message names the call and the directory.</exception>
    public static void Flush(string path)
    {
        var fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"open({path}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            int rc;
            do
            {
                rc = fsync(fd);
            }
            while (rc < 0 && Marshal.GetLastPInvokeError() == EINTR);
            if (rc < 0)
            {
                throw new IOException($"fsync({path}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
