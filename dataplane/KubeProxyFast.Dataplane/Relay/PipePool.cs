using KubeProxyFast.Linux.Interop;
using Tmds.Linux;

namespace KubeProxyFast.Dataplane.Relay;

/// <summary>
/// Pipes for splice(2), owned by one event loop. A flow takes a pipe only while it splices and
/// gives it back empty, so pipes (two descriptors each) are not pinned to idle connections —
/// with a pipe pair per connection, 10,000 connections would need 40,000 extra descriptors.
/// </summary>
internal sealed unsafe class PipePool : IDisposable
{
    private readonly int _maxPooled;
    private readonly Stack<(int Read, int Write)> _free = new();

    private readonly int _pipeSize;

    public PipePool(int maxPooled, int pipeSize)
    {
        _maxPooled = maxPooled;
        _pipeSize = pipeSize;
    }

    /// <summary>Pipes created so far (pooled ones are counted once).</summary>
    public long Created { get; private set; }

    /// <summary>Takes an empty pipe; false when none can be created (descriptor limits).</summary>
    public bool TryRent(out int readFd, out int writeFd)
    {
        if (_free.TryPop(out var pipe))
        {
            (readFd, writeFd) = pipe;
            return true;
        }

        var fds = stackalloc int[2];
        if (LibC.pipe2(fds, LibC.O_NONBLOCK | LibC.O_CLOEXEC) != 0)
        {
            readFd = writeFd = -1;
            return false;
        }

        readFd = fds[0];
        writeFd = fds[1];
        Created++;
        // A pipe holds 16 pages by default; a larger one moves a bulk transfer in fewer splices.
        // Best effort: above /proc/sys/fs/pipe-max-size (1 MiB) the kernel refuses, and the
        // default size still works.
        _ = LibC.fcntl(writeFd, LibC.F_SETPIPE_SZ, _pipeSize);
        return true;
    }

    /// <summary>Returns an empty pipe; a pipe that may still hold bytes must be passed to <see cref="Discard"/>.</summary>
    public void Return(int readFd, int writeFd)
    {
        if (_free.Count >= _maxPooled)
        {
            Discard(readFd, writeFd);
            return;
        }

        _free.Push((readFd, writeFd));
    }

    /// <summary>Closes a pipe that may hold bytes nobody will read.</summary>
    public static void Discard(int readFd, int writeFd)
    {
        NativeSocket.Close(readFd);
        NativeSocket.Close(writeFd);
    }

    public void Dispose()
    {
        while (_free.TryPop(out var pipe))
        {
            NativeSocket.Close(pipe.Read);
            NativeSocket.Close(pipe.Write);
        }
    }
}
