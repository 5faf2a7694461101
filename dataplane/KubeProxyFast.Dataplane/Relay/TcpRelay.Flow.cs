using KubeProxyFast.Dataplane.Metrics;
using KubeProxyFast.Linux.Interop;
using Tmds.Linux;

namespace KubeProxyFast.Dataplane.Relay;

internal sealed unsafe partial class TcpRelay
{
    private static readonly uint SpliceFlags = (uint)(LibC.SPLICE_F_NONBLOCK | LibC.SPLICE_F_MOVE);
    private static readonly int SendFlags = LibC.MSG_NOSIGNAL | LibC.MSG_DONTWAIT;

    /// <summary>
    /// Moves bytes from <paramref name="src"/> to <paramref name="dst"/> until one side would
    /// block, the source ends, or the fairness cap is hit. Pending bytes are always flushed before
    /// more are read, so at most one buffer (or one pipe) of data is in flight per direction:
    /// that is the backpressure — a slow reader stops us reading from the fast writer.
    /// </summary>
    private Progress Transfer(
        ref Flow flow, int src, int dst, int dstSlot, ref bool srcReadable, bool srcHungUp, bool srcFin, ref bool dstWritable, bool otherFlowDone, Counter counter)
    {
        var rounds = 0;
        while (true)
        {
            // 1. Flush what is in flight.
            var flushed = Flush(ref flow, dst, dstSlot, ref dstWritable, counter);
            if (flushed != Progress.Done)
            {
                return flushed;
            }

            if (flow.Buffer != null)
            {
                _manager.Buffers.Return(flow.Buffer);
                flow.Buffer = null;
            }

            // 2. After the source's end, pass the half-close on once everything is delivered.
            if (flow.SourceEnded)
            {
                if (!flow.ShutDown)
                {
                    // When the other direction has already ended, both sockets are about to be
                    // closed, and close(2) sends the FIN: one syscall fewer per connection.
                    if (!otherFlowDone)
                    {
                        _ = LibC.shutdown(dst, LibC.SHUT_WR);
                    }

                    flow.ShutDown = true;
                    ReleasePipe(ref flow);
                }

                return Progress.Done;
            }

            if (!srcReadable)
            {
                ReleasePipe(ref flow);
                return Progress.Blocked;
            }

            if (++rounds > MaxRoundsPerEvent)
            {
                return Progress.Again;
            }

            // 3. Read more.
            var read = flow.Splice ? ReadIntoPipe(ref flow, src, ref srcReadable) : ReadIntoBuffer(ref flow, src, ref srcReadable, srcHungUp, srcFin);
            if (read == Progress.Failed)
            {
                return read;
            }
        }
    }

    /// <summary>
    /// Delivers what is in flight (the pipe's bytes or the buffer's) to <paramref name="dst"/>.
    /// A buffer's bytes go out in the loop's batch when it has one (<see cref="OnSendCompleted"/>
    /// picks up from there), else by send(2) at once.
    /// </summary>
    private Progress Flush(ref Flow flow, int dst, int dstSlot, ref bool dstWritable, Counter counter)
    {
        while (flow.PipeBytes > 0 || flow.Length > 0)
        {
            if (flow.SendQueued || !dstWritable)
            {
                return Progress.Blocked;
            }

            if (flow.PipeBytes == 0 && Loop.SendLater(dst, flow.Buffer + flow.Offset, flow.Length, dstSlot))
            {
                flow.SendQueued = true;
                return Progress.Blocked;
            }

            var n = flow.PipeBytes > 0
                ? (long)LibC.splice(flow.PipeRead, null, dst, null, flow.PipeBytes, SpliceFlags)
                : (long)LibC.send(dst, flow.Buffer + flow.Offset, flow.Length, SendFlags);
            if (n < 0)
            {
                var errno = Errno.Last;
                if (errno == Errno.EAGAIN)
                {
                    dstWritable = false;
                    return Progress.Blocked;
                }

                if (errno != Errno.EINTR)
                {
                    return Progress.Failed;
                }

                continue;
            }

            if (flow.PipeBytes > 0)
            {
                flow.PipeBytes -= (int)n;
                _port.Counters.Add(Loop.Index, counter, n);
            }
            else
            {
                BufferSent(ref flow, (int)n, counter);
            }
        }

        if (flow.PromoteToSplice)
        {
            flow.PromoteToSplice = false;
            flow.Splice = true;
        }

        return Progress.Done;
    }

    /// <summary><paramref name="n"/> bytes of the buffer went out (by send(2) or the loop's batch).</summary>
    private void BufferSent(ref Flow flow, int n, Counter counter)
    {
        flow.Offset += n;
        flow.Length -= n;
        _port.Counters.Add(Loop.Index, counter, n);
    }

    private Progress ReadIntoBuffer(ref Flow flow, int src, ref bool srcReadable, bool srcHungUp, bool srcFin)
    {
        var buffers = _manager.Buffers;
        flow.Buffer = buffers.Rent();
        var n = (long)LibC.recv(src, flow.Buffer, buffers.BufferSize, LibC.MSG_DONTWAIT);
        if (n > 0)
        {
            flow.Offset = 0;
            flow.Length = (int)n;
            // A short read emptied the receive queue. Edge-triggered epoll reports any byte that
            // arrives after it, so the read that would only return EAGAIN can be skipped: two
            // syscalls fewer per request/response exchange (nginx does the same). After a FIN
            // was reported (EPOLLRDHUP without an error) the queue held everything up to it, so
            // the stream has ended: the read that would return 0 is skipped too. After an error
            // or a hang-up its edge is spent, and only one more read tells what happened.
            if (n < buffers.BufferSize)
            {
                if (srcFin)
                {
                    flow.SourceEnded = true;
                }
                else if (!srcHungUp)
                {
                    srcReadable = false;
                }
            }

            // A full buffer means bulk data: splice the rest of this direction (zero-copy).
            flow.PromoteToSplice = n == buffers.BufferSize && _manager.Options.Relay == RelayMode.Auto;
            return Progress.Done;
        }

        buffers.Return(flow.Buffer);
        flow.Buffer = null;
        return AfterEmptyRead(ref flow, n, ref srcReadable);
    }

    private Progress ReadIntoPipe(ref Flow flow, int src, ref bool srcReadable)
    {
        if (flow.PipeRead < 0 && !_manager.Pipes.TryRent(out flow.PipeRead, out flow.PipeWrite))
        {
            // Out of descriptors for pipes: this direction copies instead.
            flow.Splice = false;
            return Progress.Done;
        }

        var n = (long)LibC.splice(src, null, flow.PipeWrite, null, _manager.Options.SpliceChunk, SpliceFlags);
        if (n > 0)
        {
            // Unlike recv, a short splice does not mean the socket is drained: the pipe holds at
            // most 16 buffers, and a TCP segment fills one however small it is.
            flow.PipeBytes = (int)n;
            return Progress.Done;
        }

        // The pipe is empty whenever we read (pending bytes are flushed first), so EAGAIN here
        // means the socket has nothing, never that the pipe is full.
        return AfterEmptyRead(ref flow, n, ref srcReadable);
    }

    private static Progress AfterEmptyRead(ref Flow flow, long n, ref bool srcReadable)
    {
        if (n == 0)
        {
            flow.SourceEnded = true;
            return Progress.Done;
        }

        var errno = Errno.Last;
        if (errno == Errno.EAGAIN)
        {
            srcReadable = false;
            return Progress.Done;
        }

        return errno == Errno.EINTR ? Progress.Done : Progress.Failed;
    }

    private void ReleasePipe(ref Flow flow)
    {
        if (flow.PipeRead >= 0 && flow.PipeBytes == 0)
        {
            _manager.Pipes.Return(flow.PipeRead, flow.PipeWrite);
            flow.PipeRead = flow.PipeWrite = -1;
        }
    }

    private void ReleaseFlow(ref Flow flow)
    {
        if (flow.Buffer != null)
        {
            // A queued send still reads the buffer when the batch runs: it is reused only after.
            if (flow.SendQueued)
            {
                _manager.Buffers.Hold(flow.Buffer);
            }
            else
            {
                _manager.Buffers.Return(flow.Buffer);
            }

            flow.Buffer = null;
            flow.SendQueued = false;
        }

        ReleasePipe(ref flow);
        if (flow.PipeRead >= 0)
        {
            // Bytes still in the pipe belong to a connection that is going away.
            PipePool.Discard(flow.PipeRead, flow.PipeWrite);
            flow.PipeRead = flow.PipeWrite = -1;
        }
    }

    /// <summary>One direction of a relay: what is in flight and how far the stream has got.</summary>
    private struct Flow
    {
        public byte* Buffer;
        public int Offset;
        public int Length;
        public int PipeRead;
        public int PipeWrite;
        public int PipeBytes;
        public bool Splice;
        public bool PromoteToSplice;
        public bool SourceEnded;
        public bool ShutDown;

        /// <summary>The buffer's bytes are queued in the loop's batch; the outcome is not known yet.</summary>
        public bool SendQueued;

        public static Flow Create(bool splice) => new() { PipeRead = -1, PipeWrite = -1, Splice = splice };
    }
}
