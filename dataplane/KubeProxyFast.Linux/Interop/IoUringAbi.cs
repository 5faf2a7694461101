using System.Runtime.InteropServices;

namespace KubeProxyFast.Linux.Interop;

// The io_uring structures of linux/io_uring.h, with the union members the dataplane uses named
// for what they carry.

/// <summary>struct io_uring_sqe (64 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct IoUringSqe
{
    /// <summary>opcode: IORING_OP_*.</summary>
    [FieldOffset(0)] public byte Opcode;
    /// <summary>flags: IOSQE_*.</summary>
    [FieldOffset(1)] public byte Flags;
    /// <summary>fd: the descriptor the operation acts on.</summary>
    [FieldOffset(4)] public int Fd;

    /// <summary>off; for IORING_OP_EPOLL_CTL the target descriptor; cmd_op (low 32 bits) for IORING_OP_URING_CMD.</summary>
    [FieldOffset(8)] public ulong Off;

    /// <summary>addr; for socket commands level (low 32 bits) and optname (high 32 bits).</summary>
    [FieldOffset(16)] public ulong Addr;

    /// <summary>len: a buffer length, or the epoll operation for IORING_OP_EPOLL_CTL.</summary>
    [FieldOffset(24)] public uint Len;

    /// <summary>The operation's flags (msg_flags of a send).</summary>
    [FieldOffset(28)] public uint OpFlags;

    /// <summary>user_data: handed back in the completion.</summary>
    [FieldOffset(32)] public ulong UserData;

    /// <summary>optlen of a socket command (splice_fd_in otherwise).</summary>
    [FieldOffset(44)] public uint OptionLength;

    /// <summary>optval of a socket command (addr3 otherwise).</summary>
    [FieldOffset(48)] public ulong OptionValue;
}

/// <summary>struct io_uring_cqe (16 bytes, without CQE32).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringCqe
{
    public ulong UserData;
    public int Result;
    public uint Flags;
}

/// <summary>struct io_sqring_offsets.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoSqRingOffsets
{
    public uint Head;
    public uint Tail;
    public uint RingMask;
    public uint RingEntries;
    public uint Flags;
    public uint Dropped;
    public uint Array;
    public uint Reserved1;
    public ulong UserAddr;
}

/// <summary>struct io_cqring_offsets.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoCqRingOffsets
{
    public uint Head;
    public uint Tail;
    public uint RingMask;
    public uint RingEntries;
    public uint Overflow;
    public uint Cqes;
    public uint Flags;
    public uint Reserved1;
    public ulong UserAddr;
}

/// <summary>struct io_uring_params (120 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoUringParams
{
    public uint SqEntries;
    public uint CqEntries;
    public uint Flags;
    public uint SqThreadCpu;
    public uint SqThreadIdle;
    public uint Features;
    public uint WqFd;
    public fixed uint Reserved[3];
    public IoSqRingOffsets SqOff;
    public IoCqRingOffsets CqOff;
}
