using System.Net;
using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Metrics;
using KubeProxyFast.Dataplane.Relay;
using KubeProxyFast.Linux.Interop;
using Tmds.Linux;

namespace KubeProxyFast.Dataplane.Proxier;

/// <summary>
/// One listening socket of a TCP service port, owned by one event loop (each loop has its own
/// socket on the address, through SO_REUSEPORT). Accepts until EAGAIN, hands each connection to
/// a relay, refuses at once (RST) while the port has no endpoints, and rides out descriptor
/// exhaustion by pausing rather than spinning.
/// </summary>
internal sealed unsafe class TcpServiceListener : IEpollHandler, IServiceSocket
{
    private const uint EPOLLIN = 0x001;
    private const uint EPOLLET = 1u << 31;
    private const int MaxAcceptsPerEvent = 64;

    private readonly TcpRelayManager _relays;
    private readonly ServicePortRuntime _port;
    private readonly int _fd;
    private int _slot;
    private long _pausedUntil;
    private bool _closed;

    public TcpServiceListener(TcpRelayManager relays, ServicePortRuntime port, int fd, IPEndPoint address)
    {
        _relays = relays;
        _port = port;
        _fd = fd;
        Address = address;
    }

    public IPEndPoint Address { get; }

    private EventLoop Loop => _relays.Loop;

    /// <summary>Registers the socket with the loop. Loop thread.</summary>
    public void Open()
    {
        _slot = Loop.Register(_fd, this, EPOLLIN | EPOLLET);
        // Connections may have queued between listen(2) and registration; edge-triggered epoll
        // reports only new ones.
        Loop.Defer(this, _slot);
    }

    /// <summary>Stops accepting and closes the socket. Loop thread, or any thread before <see cref="Open"/>.</summary>
    public void Close()
    {
        if (!_closed)
        {
            _closed = true;
            if (_slot != 0)
            {
                Loop.Release(_slot);
            }

            NativeSocket.Close(_fd);
        }
    }

    public void OnEvents(int slot, uint events)
    {
        if (_closed || _pausedUntil != 0)
        {
            return;
        }

        var address = stackalloc byte[SocketAddressLayout.MaxLength];
        for (var i = 0; i < MaxAcceptsPerEvent; i++)
        {
            if (_relays.AtCapacity)
            {
                // Leave clients in the kernel's queue; a closing relay wakes us.
                _relays.WaitForCapacity(this, _slot);
                return;
            }

            socklen_t length = SocketAddressLayout.MaxLength;
            var fd = LibC.accept4(_fd, (sockaddr*)address, &length, LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
            if (fd < 0)
            {
                var errno = Errno.Last;
                if (errno == Errno.EAGAIN)
                {
                    return;
                }

                if (errno == Errno.EINTR || errno == Errno.ECONNABORTED)
                {
                    continue; // the client gave up before we accepted: nothing to do
                }

                // EMFILE/ENFILE/ENOBUFS/ENOMEM: the connection stays queued in the kernel; try
                // again shortly instead of spinning on an error that will repeat.
                _pausedUntil = Loop.Now + (System.Diagnostics.Stopwatch.Frequency / 10);
                LoopLog.AcceptPaused(_relays.Logger, _port.Name, Errno.Name(errno), 100);
                return;
            }

            var counters = _port.Counters;
            counters.Add(Loop.Index, Counter.ConnectionsAccepted);
            if (_port.Endpoints.IsEmpty || _port.Removed)
            {
                counters.Add(Loop.Index, Counter.ConnectionsFailed);
                counters.Add(Loop.Index, Counter.ConnectionsClosed);
                Loop.CloseLater(fd, reset: true);
                continue;
            }

            var client = ClientAddress.FromSocketAddress(new ReadOnlySpan<byte>(address, (int)length));
            _relays.Accept(fd, _port, in client);
        }

        // More may be queued; let other sockets of this loop run first.
        Loop.Defer(this, _slot);
    }

    /// <summary>Resumes accepting after a pause. Loop thread.</summary>
    public void Sweep(long now)
    {
        if (_pausedUntil != 0 && now >= _pausedUntil && !_closed)
        {
            _pausedUntil = 0;
            OnEvents(_slot, 0);
        }
    }
}
