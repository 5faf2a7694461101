using System.Runtime.InteropServices;
using KubeProxyFast.Linux.Interop;
using Tmds.Linux;

namespace KubeProxyFast.Dataplane.Relay;

/// <summary>
/// The calls of a connection whose result is not needed at once — registering a socket with epoll,
/// TCP_NODELAY on a new socket, sending a buffer, closing — queued in an io_uring and handed to the
/// kernel in one io_uring_enter before the loop next waits, instead of one system call each. A
/// system call is the proxy's dominant fixed cost on the bench machine (1.17 µs for a null call:
/// page-table isolation without PCID, in a PVM guest), and a proxied connection made 15.
/// A queued call runs before any later epoll_wait, and a descriptor queued for closing keeps its
/// number until then, so no later call can mistake a new socket for it. Without io_uring (an old
/// kernel, kernel.io_uring_disabled, a seccomp filter, or <see cref="Proxier.ProxyEngineOptions.IoUring"/>
/// off) each call is made at once, as before.
/// </summary>
internal sealed unsafe partial class EventLoop
{
    private const uint RingEntries = 512;

    // Completions of sends wait in the ring until the top of the loop; within one iteration (one
    // epoll batch of at most 256 events, the deferred handlers, the sweep) far fewer are made.
    private const uint RingCompletions = 8192;
    private const byte OpClose = 1;
    private const byte OpSetOption = 2;
    private const byte OpEpollAdd = 3;
    private const byte OpSend = 4;
    private const uint GenerationMask = 0xFF_FFFF;
    private const ulong PayloadMask = 0x00FF_FFFF_FFFF_FFFF;

    private readonly List<IBatchListener> _batchListeners = [];
    private (ulong UserData, int Result)[] _outcomes = new (ulong, int)[256];
    private int _outcomeCount;
    private IoUring? _ring;
    private epoll_event* _ringEvents;
    private int* _optionValues;

    // Option values read by the kernel when the entry runs: kept in native memory for the ring's life.
    private int* OptionOn => &_optionValues[0];

    private int* OptionLingerZero => &_optionValues[1];

    /// <summary>True when this loop batches calls through io_uring.</summary>
    public bool BatchesCalls => _ring is not null;

    /// <summary>Queued calls not yet handed to the kernel, or outcomes not yet delivered: the loop must not sleep.</summary>
    private bool BatchHasWork => _outcomeCount > 0 || (_ring is not null && _ring.Pending > 0);

    /// <summary>
    /// Registers <paramref name="fd"/> for <paramref name="events"/> before the loop next waits;
    /// returns its slot. A refusal by the kernel reaches <see cref="IBatchHandler.OnRegistrationFailed"/>
    /// (batched) or throws <see cref="NativeCallException"/> (plain calls), as <see cref="Register"/>.
    /// </summary>
    public int RegisterLater(int fd, IBatchHandler handler, uint events)
    {
        var sqe = NextEntry(out var index);
        if (sqe is null)
        {
            return Register(fd, handler, events);
        }

        var slot = AllocateSlot(handler);
        FillEpollAdd(sqe, index, fd, Event(events, slot));
        sqe->Flags = IoUring.FlagSkipSuccess;
        sqe->UserData = Tag(OpEpollAdd, SlotPayload(slot));
        return slot;
    }

    /// <summary>
    /// Queues send(2) of <paramref name="length"/> bytes at <paramref name="data"/> on
    /// <paramref name="fd"/> (non-blocking); the outcome reaches <see cref="IBatchHandler.OnSendCompleted"/>
    /// for <paramref name="slot"/> when the batch runs, and the bytes must stay put until then
    /// (see <see cref="AddBatchListener"/>). False when this loop makes plain calls: send yourself.
    /// </summary>
    public bool SendLater(int fd, byte* data, int length, int slot)
    {
        var sqe = NextEntry(out _);
        if (sqe is null)
        {
            return false;
        }

        sqe->Opcode = IoUring.OpSend;
        sqe->Fd = fd;
        sqe->Addr = (ulong)data;
        sqe->Len = (uint)length;
        sqe->OpFlags = (uint)(LibC.MSG_NOSIGNAL | LibC.MSG_DONTWAIT);
        sqe->UserData = Tag(OpSend, SlotPayload(slot));
        return true;
    }

    /// <summary>Calls <paramref name="listener"/> after each batch has run (loop thread or before <see cref="Start"/>).</summary>
    public void AddBatchListener(IBatchListener listener) => _batchListeners.Add(listener);

    /// <summary>TCP_NODELAY on <paramref name="fd"/> before the loop next waits (so before any send on it).</summary>
    public void SetNoDelayLater(int fd)
    {
        if (!TryQueueSetOption(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, OptionOn, sizeof(int)))
        {
            NativeSocket.SetNoDelay(fd);
        }
    }

    /// <summary>Closes <paramref name="fd"/> before the loop next waits; with an RST when <paramref name="reset"/>.</summary>
    public void CloseLater(int fd, bool reset)
    {
        // SO_LINGER {on, 0 s} first: close(2) then sends an RST (entries run in order).
        if (reset && !TryQueueSetOption(fd, LibC.SOL_SOCKET, LibC.SO_LINGER, OptionLingerZero, 2 * sizeof(int)))
        {
            NativeSocket.CloseWithReset(fd);
            return;
        }

        var sqe = NextEntry(out _);
        if (sqe is null)
        {
            // Batching stopped: a queued SO_LINGER has been made plainly already.
            NativeSocket.Close(fd);
            return;
        }

        sqe->Opcode = IoUring.OpClose;
        sqe->Flags = IoUring.FlagSkipSuccess;
        sqe->Fd = fd;
        sqe->UserData = Tag(OpClose, (uint)fd);
    }

    /// <summary>
    /// Sets up the ring when <paramref name="enabled"/> and this kernel runs every batched call
    /// (checked on a scratch socket: socket commands need 6.7); otherwise calls stay plain.
    /// Returns why the ring is not used, or null.
    /// </summary>
    private string? StartBatching(bool enabled)
    {
        if (!enabled)
        {
            return "turned off";
        }

        var ring = IoUring.TryCreate(RingEntries, RingCompletions, out var errno);
        if (ring is null)
        {
            return $"io_uring_setup: {Errno.Name(errno)}";
        }

        _ring = ring;
        _ringEvents = (epoll_event*)NativeMemory.AllocZeroed(ring.Entries, (nuint)sizeof(epoll_event));
        _optionValues = (int*)NativeMemory.Alloc(3, sizeof(int));
        _optionValues[0] = 1; // an int option on
        _optionValues[1] = 1; // struct linger: l_onoff
        _optionValues[2] = 0; //                l_linger (seconds)
        var why = Probe();
        if (why is not null)
        {
            StopBatching();
        }

        return why;
    }

    /// <summary>Runs each batched call once through the ring and checks its effect.</summary>
    private string? Probe()
    {
        var fd = LibC.socket(LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            return $"probe socket: {Errno.Name(Errno.Last)}";
        }

        _ = TryQueueSetOption(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, OptionOn, sizeof(int));
        var sqe = NextEntry(out var index);
        FillEpollAdd(sqe, index, fd, default);
        var failure = _ring!.Submit();
        while (failure == 0 && _ring.TryReap(out _, out var result))
        {
            failure = -result;
        }

        int noDelay = 0;
        socklen_t length = sizeof(int);
        _ = LibC.getsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, &noDelay, &length);
        NativeSocket.Close(fd);
        return failure != 0 ? $"probe: {Errno.Name(failure)}" : noDelay == 0 ? "probe: TCP_NODELAY not set" : null;
    }

    /// <summary>
    /// Runs the queued calls and tells handlers the outcomes; what they queue in turn runs in the
    /// next round (and whatever is left, in the next iteration: the loop does not sleep on it).
    /// Only here, at the top of the loop, are handlers called back, never from inside one.
    /// </summary>
    private void FlushBatch()
    {
        if (_ring is null && _outcomeCount == 0)
        {
            return;
        }

        for (var round = 0; round < 8; round++)
        {
            SubmitQueued();
            if (_outcomeCount == 0)
            {
                break;
            }

            DeliverOutcomes();
        }

        // Buffers may be reused once no entry that points into them is still queued.
        if (_ring is null || _ring.Pending == 0)
        {
            foreach (var listener in _batchListeners)
            {
                listener.AfterBatch();
            }
        }
    }

    /// <summary>
    /// Hands the queued entries to the kernel and keeps the completions for <see cref="DeliverOutcomes"/>.
    /// </summary>
    private void SubmitQueued()
    {
        var ring = _ring;
        for (var attempt = 0; ring is not null && ring.Pending > 0 && attempt < 4; attempt++)
        {
            // The kernel takes the entries, or refuses while its completion queue is full,
            // which the stashing empties for the next attempt.
            var errno = ring.Submit();
            StashCompletions(ring);
            if (errno != 0 && errno != Errno.EAGAIN && errno != Errno.EBUSY)
            {
                // None is expected; the calls must still happen, so they are made here, and
                // from now on plainly.
                LoopLog.BatchFailed(_logger, Index, Errno.Name(errno));
                ReplayPendingAndStop(ring);
                return;
            }
        }
    }

    /// <summary>Makes the entries the kernel did not take as plain system calls, then drops the ring.</summary>
    private void ReplayPendingAndStop(IoUring ring)
    {
        var pending = ring.Pending;
        for (uint i = 0; i < pending; i++)
        {
            var sqe = ring.PendingEntry(i);
            var op = (byte)(sqe->UserData >> 56);
            if (op == OpClose)
            {
                NativeSocket.Close(sqe->Fd);
            }
            else if (op == OpSetOption)
            {
                _ = LibC.setsockopt(sqe->Fd, (int)(uint)sqe->Addr, (int)(sqe->Addr >> 32), (void*)sqe->OptionValue, (int)sqe->OptionLength);
            }
            else if (op == OpEpollAdd && LibC.epoll_ctl(_epfd, LibC.EPOLL_CTL_ADD, (int)sqe->Off, (epoll_event*)sqe->Addr) != 0)
            {
                Stash(sqe->UserData, -Errno.Last);
            }
            else if (op == OpSend)
            {
                var n = (long)LibC.send(sqe->Fd, (void*)sqe->Addr, sqe->Len, (int)sqe->OpFlags);
                Stash(sqe->UserData, n >= 0 ? (int)n : -Errno.Last);
            }
        }

        StopBatching();
    }

    private void StashCompletions(IoUring ring)
    {
        while (ring.TryReap(out var userData, out var result))
        {
            Stash(userData, result);
        }
    }

    private void Stash(ulong userData, int result)
    {
        if (_outcomeCount == _outcomes.Length)
        {
            Array.Resize(ref _outcomes, _outcomes.Length * 2);
        }

        _outcomes[_outcomeCount++] = (userData, result);
    }

    private void DeliverOutcomes()
    {
        // Handlers may queue entries, and a full ring is submitted at once, so more outcomes can
        // be stashed while this runs: they are delivered in the same pass.
        for (var i = 0; i < _outcomeCount; i++)
        {
            var (userData, result) = _outcomes[i];
            var op = (byte)(userData >> 56);
            var payload = userData & PayloadMask;
            if (op == OpClose)
            {
                LoopLog.BatchedCloseFailed(_logger, Index, (int)payload, Errno.Name(-result));
            }
            else if ((op == OpSend || op == OpEpollAdd) && HandlerOf(payload) is { } handler)
            {
                try
                {
                    if (op == OpSend)
                    {
                        handler.OnSendCompleted((int)(uint)payload, result);
                    }
                    else
                    {
                        handler.OnRegistrationFailed((int)(uint)payload, -result);
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LoopLog.HandlerFailed(_logger, ex, Index);
                }
            }

            // A failed setsockopt is ignored, as the plain call's result is.
        }

        _outcomeCount = 0;
    }

    /// <summary>The handler of the slot in <paramref name="payload"/>, unless the slot was released (or reused) since.</summary>
    private IBatchHandler? HandlerOf(ulong payload)
    {
        var slot = (int)(uint)payload;
        return _handlers[slot] is IBatchHandler handler && (_generations[slot] & GenerationMask) == (uint)(payload >> 32) ? handler : null;
    }

    private ulong SlotPayload(int slot) => ((ulong)(_generations[slot] & GenerationMask) << 32) | (uint)slot;

    /// <summary>A free entry, or null when this loop makes plain calls (no ring, or batching stopped).</summary>
    private IoUringSqe* NextEntry(out uint index)
    {
        index = 0;
        if (_ring is null)
        {
            return null;
        }

        var sqe = _ring.Next(out index);
        if (sqe is null)
        {
            // Full mid-iteration: run what is queued now; the outcomes wait for the loop's top.
            SubmitQueued();
            if (_ring is not null && (sqe = _ring.Next(out index)) is null)
            {
                ReplayPendingAndStop(_ring);
            }
        }

        return sqe;
    }

    /// <summary>EPOLL_CTL_ADD of <paramref name="fd"/>; the event lives beside the entry until the kernel copies it.</summary>
    private void FillEpollAdd(IoUringSqe* sqe, uint index, int fd, epoll_event e)
    {
        _ringEvents[index] = e;
        sqe->Opcode = IoUring.OpEpollCtl;
        sqe->Fd = _epfd;
        sqe->Len = (uint)LibC.EPOLL_CTL_ADD;
        sqe->Off = (ulong)fd;
        sqe->Addr = (ulong)(&_ringEvents[index]);
    }

    private bool TryQueueSetOption(int fd, int level, int option, int* value, int length)
    {
        var sqe = NextEntry(out _);
        if (sqe is null)
        {
            return false;
        }

        sqe->Opcode = IoUring.OpUringCmd;
        sqe->Flags = IoUring.FlagSkipSuccess;
        sqe->Fd = fd;
        sqe->Off = IoUring.SocketSetOption;
        sqe->Addr = (uint)level | ((ulong)(uint)option << 32);
        sqe->OptionLength = (uint)length;
        sqe->OptionValue = (ulong)value;
        sqe->UserData = Tag(OpSetOption, (uint)fd);
        return true;
    }

    private static ulong Tag(byte op, ulong payload) => ((ulong)op << 56) | payload;

    /// <summary>Drops the ring (entries still queued are discarded: flush or replay them first).</summary>
    private void StopBatching()
    {
        _ring?.Dispose();
        _ring = null;
        NativeMemory.Free(_ringEvents);
        NativeMemory.Free(_optionValues);
        _ringEvents = null;
        _optionValues = null;
    }
}
