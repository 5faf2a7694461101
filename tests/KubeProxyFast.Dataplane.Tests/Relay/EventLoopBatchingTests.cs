using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using KubeProxyFast.Dataplane.Relay;
using KubeProxyFast.Linux.Interop;
using Microsoft.Extensions.Logging.Abstractions;
using Tmds.Linux;

namespace KubeProxyFast.Dataplane.Tests.Relay;

/// <summary>
/// The calls an event loop queues (close, TCP_NODELAY, epoll registration, send) take effect once the
/// loop has run an iteration — batched through io_uring or, with it off, as plain calls.
/// </summary>
public sealed class EventLoopBatchingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void Construct_IoUringOn_BatchesWhereTheKernelAllows()
    {
        using var loop = NewLoop(ioUring: true);

        Assert.Equal(KernelRunsSocketCommands(), loop.BatchesCalls);
    }

    [Fact]
    public void Construct_IoUringOff_MakesPlainCalls()
    {
        using var loop = NewLoop(ioUring: false);

        Assert.False(loop.BatchesCalls);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CloseLater_Graceful_PeerReadsEndOfStream(bool ioUring)
    {
        using var loop = NewLoop(ioUring);
        var (fd, peer) = await ConnectedPair();
        using (peer)
        {
            await OnLoop(loop, () => loop.CloseLater(fd, reset: false));

            var buffer = new byte[16];
            var n = await peer.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Timeout);
            Assert.Equal(0, n);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CloseLater_Reset_PeerSeesConnectionReset(bool ioUring)
    {
        using var loop = NewLoop(ioUring);
        var (fd, peer) = await ConnectedPair();
        using (peer)
        {
            await OnLoop(loop, () => loop.CloseLater(fd, reset: true));

            var error = await Assert.ThrowsAsync<SocketException>(async () =>
                await peer.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(Timeout));
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SetNoDelayLater_NewSocket_OptionIsOn(bool ioUring)
    {
        using var loop = NewLoop(ioUring);
        var fd = LibC.socket(LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        try
        {
            Assert.Equal(0, NoDelay(fd));

            await OnLoop(loop, () => loop.SetNoDelayLater(fd));
            await OnLoop(loop, static () => { }); // one more iteration: the batch has been flushed

            Assert.Equal(1, NoDelay(fd));
        }
        finally
        {
            _ = LibC.close(fd);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RegisterLater_DataArrives_HandlerSeesIt(bool ioUring)
    {
        using var loop = NewLoop(ioUring);
        var (fd, peer) = await ConnectedPair();
        using (peer)
        {
            var handler = new RecordingHandler();
            await OnLoop(loop, () => handler.Slot = loop.RegisterLater(fd, handler, (uint)(LibC.EPOLLIN | LibC.EPOLLET)));

            await peer.SendAsync("x"u8.ToArray());

            var events = await handler.Events.Task.WaitAsync(Timeout);
            Assert.NotEqual(0u, events & (uint)LibC.EPOLLIN);
            await OnLoop(loop, () => loop.CloseLater(fd, reset: false));
        }
    }

    [Fact]
    public async Task SendLater_Batched_PeerReceivesAndHandlerIsToldTheCount()
    {
        using var loop = NewLoop(ioUring: true);
        Assert.True(loop.BatchesCalls, "needs io_uring with socket commands (Linux 6.7 or later, kernel.io_uring_disabled = 0)");
        var (fd, peer) = await ConnectedPair();
        var data = Marshal.AllocHGlobal(5);
        try
        {
            using (peer)
            {
                Marshal.Copy("hello"u8.ToArray(), 0, data, 5);
                var handler = new RecordingHandler();
                var queued = await OnLoop(loop, () =>
                {
                    handler.Slot = loop.RegisterLater(fd, handler, (uint)(LibC.EPOLLIN | LibC.EPOLLET));
                    return SendLater(loop, fd, data, 5, handler.Slot);
                });

                Assert.True(queued);
                Assert.Equal((handler.Slot, 5), await handler.Sent.Task.WaitAsync(Timeout));
                var buffer = new byte[16];
                var n = await peer.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Timeout);
                Assert.Equal("hello"u8.ToArray(), buffer[..n]);
                await OnLoop(loop, () => loop.CloseLater(fd, reset: false));
            }
        }
        finally
        {
            Marshal.FreeHGlobal(data);
        }
    }

    [Fact]
    public async Task SendLater_MoreThanTheRingHolds_AllRunInOrderAndEveryOutcomeArrives()
    {
        const int Sends = 2000; // the ring holds 512: it fills and is submitted mid-call three times
        using var loop = NewLoop(ioUring: true);
        Assert.True(loop.BatchesCalls, "needs io_uring with socket commands (Linux 6.7 or later, kernel.io_uring_disabled = 0)");
        var (fd, peer) = await ConnectedPair();
        var data = Marshal.AllocHGlobal(Sends * 2);
        try
        {
            using (peer)
            {
                var expected = new byte[Sends * 2];
                for (var i = 0; i < Sends; i++)
                {
                    expected[2 * i] = (byte)(i >> 8);
                    expected[(2 * i) + 1] = (byte)i;
                }

                Marshal.Copy(expected, 0, data, expected.Length);
                var handler = new CountingHandler();
                await OnLoop(loop, () =>
                {
                    var slot = loop.RegisterLater(fd, handler, (uint)(LibC.EPOLLIN | LibC.EPOLLET));
                    for (var i = 0; i < Sends; i++)
                    {
                        Assert.True(SendLater(loop, fd, data + (2 * i), 2, slot));
                    }
                });

                Assert.Equal(Sends * 2, await handler.AllSent(Sends).WaitAsync(Timeout));
                var received = new byte[expected.Length];
                var total = 0;
                while (total < received.Length)
                {
                    total += await peer.ReceiveAsync(received.AsMemory(total), SocketFlags.None).AsTask().WaitAsync(Timeout);
                }

                Assert.Equal(expected, received);
                await OnLoop(loop, () => loop.CloseLater(fd, reset: false));
            }
        }
        finally
        {
            Marshal.FreeHGlobal(data);
        }
    }

    [Fact]
    public async Task SendLater_PlainCalls_IsRefusedSoTheCallerSends()
    {
        using var loop = NewLoop(ioUring: false);

        var queued = await OnLoop(loop, () => SendLater(loop, -1, 0, 0, 1));

        Assert.False(queued);
    }

    [Fact]
    public async Task RegisterLater_KernelRefuses_HandlerIsToldWithTheErrno()
    {
        using var loop = NewLoop(ioUring: true);
        Assert.True(loop.BatchesCalls, "needs io_uring with socket commands (Linux 6.7 or later, kernel.io_uring_disabled = 0)");
        var (fd, peer) = await ConnectedPair();
        using (peer)
        {
            var first = new RecordingHandler();
            var second = new RecordingHandler();
            await OnLoop(loop, () =>
            {
                first.Slot = loop.RegisterLater(fd, first, (uint)LibC.EPOLLIN);
                second.Slot = loop.RegisterLater(fd, second, (uint)LibC.EPOLLIN); // a second ADD of the same descriptor
            });

            var (slot, errno) = await second.Failure.Task.WaitAsync(Timeout);
            Assert.Equal(second.Slot, slot);
            Assert.Equal(LibC.EEXIST, errno);
            Assert.False(first.Failure.Task.IsCompleted);
            await OnLoop(loop, () => loop.CloseLater(fd, reset: false));
        }
    }

    [Fact]
    public async Task RegisterLater_PlainCallsAndKernelRefuses_Throws()
    {
        using var loop = NewLoop(ioUring: false);
        var (fd, peer) = await ConnectedPair();
        using (peer)
        {
            var error = await OnLoop(loop, () =>
            {
                _ = loop.RegisterLater(fd, new RecordingHandler(), (uint)LibC.EPOLLIN);
                return Record.Exception(() => loop.RegisterLater(fd, new RecordingHandler(), (uint)LibC.EPOLLIN));
            });

            var native = Assert.IsType<NativeCallException>(error);
            Assert.Equal(LibC.EEXIST, native.Errno);
            await OnLoop(loop, () => loop.CloseLater(fd, reset: false));
        }
    }

    private static EventLoop NewLoop(bool ioUring)
    {
        var loop = new EventLoop(0, TimeSpan.FromMilliseconds(100), TimeSpan.Zero, ioUring, NullLogger.Instance);
        loop.Start();
        return loop;
    }

    /// <summary>True when io_uring is enabled and the kernel is 6.7 or later (socket commands).</summary>
    private static bool KernelRunsSocketCommands()
    {
        var disabled = File.Exists("/proc/sys/kernel/io_uring_disabled")
            ? File.ReadAllText("/proc/sys/kernel/io_uring_disabled").Trim()
            : "0";
        var release = Environment.OSVersion.Version;
        return disabled == "0" && (release.Major > 6 || (release.Major == 6 && release.Minor >= 7));
    }

    /// <summary>A raw descriptor of a connected loopback TCP socket, and its peer as a .NET socket.</summary>
    private static async Task<(int Fd, Socket Peer)> ConnectedPair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var accepted = listener.AcceptAsync();
        var fd = NativeSocket.Create(AddressFamily.InterNetwork, udp: false, "test socket");
        var errno = NativeSocket.StartConnect(fd, SocketAddressLayout.Encode((IPEndPoint)listener.LocalEndPoint!));
        Assert.Equal(0, errno);
        var peer = await accepted.WaitAsync(Timeout);
        return (fd, peer);
    }

    private static unsafe bool SendLater(EventLoop loop, int fd, nint data, int length, int slot) =>
        loop.SendLater(fd, (byte*)data, length, slot);

    private static int NoDelay(int fd)
    {
        // A view of the descriptor that does not own it (nor close it).
        using var view = new Socket(new SafeSocketHandle(fd, ownsHandle: false));
        return view.NoDelay ? 1 : 0;
    }

    private static Task<bool> OnLoop(EventLoop loop, Action work) => OnLoop(loop, () =>
    {
        work();
        return true;
    });

    private static Task<T> OnLoop<T>(EventLoop loop, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(() => done.SetResult(work()));
        return done.Task.WaitAsync(Timeout);
    }

    /// <summary>Sums the bytes of completed sends (loop thread) until a number of them arrived.</summary>
    private sealed class CountingHandler : IBatchHandler
    {
        private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _completed;
        private int _bytes;
        private int _expected = int.MaxValue;

        public Task<int> AllSent(int sends)
        {
            Volatile.Write(ref _expected, sends);
            if (Volatile.Read(ref _completed) >= sends)
            {
                _done.TrySetResult(Volatile.Read(ref _bytes));
            }

            return _done.Task;
        }

        public void OnEvents(int slot, uint events)
        {
        }

        public void OnRegistrationFailed(int slot, int errno) => _done.TrySetException(new InvalidOperationException($"registration failed: {errno}"));

        public void OnSendCompleted(int slot, int result)
        {
            if (result < 0)
            {
                _done.TrySetException(new InvalidOperationException($"send failed: {result}"));
                return;
            }

            Volatile.Write(ref _bytes, _bytes + result);
            if (Interlocked.Increment(ref _completed) >= Volatile.Read(ref _expected))
            {
                _done.TrySetResult(Volatile.Read(ref _bytes));
            }
        }
    }

    private sealed class RecordingHandler : IBatchHandler
    {
        public int Slot { get; set; }

        public TaskCompletionSource<uint> Events { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<(int Slot, int Errno)> Failure { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnEvents(int slot, uint events) => Events.TrySetResult(events);

        public TaskCompletionSource<(int Slot, int Result)> Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnRegistrationFailed(int slot, int errno) => Failure.TrySetResult((slot, errno));

        public void OnSendCompleted(int slot, int result) => Sent.TrySetResult((slot, result));
    }
}
