using System.Runtime.InteropServices;
using Tmds.Linux;

namespace KubeProxyFast.Linux.Interop;

/// <summary>
/// An io_uring instance through its raw ABI (io_uring_setup, io_uring_enter, the mmapped rings):
/// one thread fills submission entries and hands them to the kernel in one call. Single-threaded
/// by contract (the event loop that owns it). Only the pieces the dataplane uses are here.
/// </summary>
public sealed unsafe partial class IoUring : IDisposable
{
    /// <summary>IORING_OP_CLOSE.</summary>
    public const byte OpClose = 19;
    /// <summary>IORING_OP_SEND.</summary>
    public const byte OpSend = 26;
    /// <summary>IORING_OP_EPOLL_CTL.</summary>
    public const byte OpEpollCtl = 29;
    /// <summary>IORING_OP_URING_CMD.</summary>
    public const byte OpUringCmd = 46;

    /// <summary>IOSQE_CQE_SKIP_SUCCESS: no completion entry unless the operation fails (5.17).</summary>
    public const byte FlagSkipSuccess = 1 << 6;

    /// <summary>SOCKET_URING_OP_SETSOCKOPT, the cmd_op of a socket IORING_OP_URING_CMD (6.7).</summary>
    public const uint SocketSetOption = 3;

    private const long SysSetup = 425;
    private const long SysEnter = 426;
    private const uint SetupCqSize = 1u << 3;
    private const uint SetupSubmitAll = 1u << 7;
    private const uint SetupCoopTaskRun = 1u << 8;
    private const uint FeatureSingleMmap = 1u << 0;
    private const uint FeatureSkipSuccess = 1u << 11;
    private const long OffsetSqRing = 0;
    private const long OffsetCqRing = 0x8000000;
    private const long OffsetSqes = 0x10000000;

    private readonly int _fd;
    private readonly byte* _sqRing;
    private readonly nuint _sqRingSize;
    private readonly byte* _cqRing;
    private readonly nuint _cqRingSize;
    private readonly IoUringSqe* _sqes;
    private readonly nuint _sqesSize;
    private readonly uint* _sqHead;
    private readonly uint* _sqTail;
    private readonly uint _sqMask;
    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly uint _cqMask;
    private readonly IoUringCqe* _cqes;
    private uint _tail;

    private IoUring(int fd, in IoUringParams p)
    {
        _fd = fd;
        Entries = p.SqEntries;
        _sqRingSize = p.SqOff.Array + (p.SqEntries * sizeof(uint));
        _cqRingSize = p.CqOff.Cqes + (p.CqEntries * (uint)sizeof(IoUringCqe));
        var single = (p.Features & FeatureSingleMmap) != 0;
        if (single)
        {
            _sqRingSize = _cqRingSize = Math.Max(_sqRingSize, _cqRingSize);
        }

        _sqRing = Map(fd, _sqRingSize, OffsetSqRing);
        _cqRing = single ? _sqRing : Map(fd, _cqRingSize, OffsetCqRing);
        _sqesSize = p.SqEntries * (uint)sizeof(IoUringSqe);
        _sqes = (IoUringSqe*)Map(fd, _sqesSize, OffsetSqes);
        _sqHead = (uint*)(_sqRing + p.SqOff.Head);
        _sqTail = (uint*)(_sqRing + p.SqOff.Tail);
        _sqMask = *(uint*)(_sqRing + p.SqOff.RingMask);
        _cqHead = (uint*)(_cqRing + p.CqOff.Head);
        _cqTail = (uint*)(_cqRing + p.CqOff.Tail);
        _cqMask = *(uint*)(_cqRing + p.CqOff.RingMask);
        _cqes = (IoUringCqe*)(_cqRing + p.CqOff.Cqes);
        _tail = *_sqTail;

        // The indirection array maps ring positions to entries; identity, set once.
        var array = (uint*)(_sqRing + p.SqOff.Array);
        for (uint i = 0; i < p.SqEntries; i++)
        {
            array[i] = i;
        }
    }

    /// <summary>Submission entries the ring holds.</summary>
    public uint Entries { get; }

    /// <summary>Entries filled and not yet handed to the kernel.</summary>
    public uint Pending => _tail - Volatile.Read(ref *_sqHead);

    /// <summary>
    /// A ring of <paramref name="entries"/> submission and <paramref name="completions"/> completion
    /// entries that can skip completions of successful operations,
    /// or null with the errno when this kernel cannot (io_uring missing, disabled by
    /// kernel.io_uring_disabled or a seccomp filter, or older than 5.17).
    /// </summary>
    public static IoUring? TryCreate(uint entries, uint completions, out int errno)
    {
        var p = default(IoUringParams);
        p.Flags = SetupCqSize | SetupSubmitAll | SetupCoopTaskRun;
        p.CqEntries = completions;
        var fd = (int)syscall(SysSetup, entries, (nint)(&p), 0, 0, 0, 0);
        if (fd < 0 && Marshal.GetLastPInvokeError() == Errno.EINVAL)
        {
            // Flags newer than this kernel: the basic ring.
            p = default;
            p.Flags = SetupCqSize;
            p.CqEntries = completions;
            fd = (int)syscall(SysSetup, entries, (nint)(&p), 0, 0, 0, 0);
        }

        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        if ((p.Features & FeatureSkipSuccess) == 0)
        {
            _ = LibC.close(fd);
            errno = Errno.EINVAL;
            return null;
        }

        errno = 0;
        return new IoUring(fd, in p);
    }

    /// <summary>
    /// The next free submission entry, zeroed, and its position in the ring (for data that must
    /// live until submission); null when the ring is full (submit first).
    /// </summary>
    public IoUringSqe* Next(out uint index)
    {
        index = _tail & _sqMask;
        if (_tail - Volatile.Read(ref *_sqHead) >= Entries)
        {
            return null;
        }

        var sqe = &_sqes[index];
        *sqe = default;
        _tail++;
        return sqe;
    }

    /// <summary>
    /// Hands every pending entry to the kernel; returns 0 or the errno that stopped it (entries
    /// the kernel did not take stay pending).
    /// </summary>
    public int Submit()
    {
        Volatile.Write(ref *_sqTail, _tail);
        while (Pending > 0)
        {
            var rc = syscall(SysEnter, _fd, Pending, 0, 0, 0, 0);
            if (rc > 0)
            {
                continue;
            }

            var errno = rc == 0 ? Errno.EAGAIN : Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
            {
                // EBUSY/EAGAIN: completions must be reaped before the kernel takes more.
                return errno;
            }
        }

        return 0;
    }

    /// <summary>
    /// The pending entry <paramref name="i"/> (0 = oldest) that the kernel has not taken, for a
    /// caller that gives up on the ring and makes the calls itself.
    /// </summary>
    public IoUringSqe* PendingEntry(uint i) => &_sqes[(Volatile.Read(ref *_sqHead) + i) & _sqMask];

    /// <summary>Takes the oldest completion, if any.</summary>
    public bool TryReap(out ulong userData, out int result)
    {
        var head = *_cqHead;
        if (head == Volatile.Read(ref *_cqTail))
        {
            userData = 0;
            result = 0;
            return false;
        }

        var cqe = &_cqes[head & _cqMask];
        userData = cqe->UserData;
        result = cqe->Result;
        Volatile.Write(ref *_cqHead, head + 1);
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _ = LibC.munmap(_sqes, (size_t)_sqesSize);
        if (_cqRing != _sqRing)
        {
            _ = LibC.munmap(_cqRing, (size_t)_cqRingSize);
        }

        _ = LibC.munmap(_sqRing, (size_t)_sqRingSize);
        _ = LibC.close(_fd);
    }

    private static byte* Map(int fd, nuint size, long offset)
    {
        var p = LibC.mmap(null, (size_t)size, LibC.PROT_READ | LibC.PROT_WRITE,
            LibC.MAP_SHARED | LibC.MAP_POPULATE, fd, offset);
        if (p == (void*)-1)
        {
            throw new NativeCallException("mmap", "io_uring ring", Errno.Last);
        }

        return (byte*)p;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);
}
