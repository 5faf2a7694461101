using System.Net;
using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Metrics;
using KubeProxyFast.Dataplane.Relay;
using KubeProxyFast.Linux.Interop;

namespace KubeProxyFast.Dataplane.Proxier;

/// <summary>
/// The bound socket of a UDP service port on one event loop. Each client address (IP and port)
/// gets a session: a socket connected to the endpoint chosen for it (ClientIP affinity applies).
/// Datagrams from the client go out on the session socket; replies come back through this
/// socket, from the address each datagram arrived on (IP_PKTINFO), so the client sees them from
/// the service address, directly or once conntrack has undone a REDIRECT to the proxy port. Sessions idle for the UDP timeout
/// are dropped, and sessions to a removed endpoint are dropped at once so the flow moves.
/// </summary>
internal sealed unsafe class UdpServiceSocket : IEpollHandler, IServiceSocket
{
    private const uint EPOLLIN = 0x001;
    private const uint EPOLLET = 1u << 31;
    private const int MaxDatagramsPerEvent = 64;

    private readonly LoopContext _context;
    private readonly ServicePortRuntime _port;
    private readonly int _fd;
    private readonly Dictionary<UdpClientKey, UdpSession> _sessions = [];
    private readonly Stack<UdpSession> _pool = new();
    private readonly List<UdpSession> _expired = [];
    private readonly long _idleTicks;
    private int _slot;
    private bool _closed;

    public UdpServiceSocket(LoopContext context, ServicePortRuntime port, int fd, IPEndPoint address)
    {
        _context = context;
        _port = port;
        _fd = fd;
        Address = address;
        _idleTicks = (long)(context.Relays.Options.UdpIdleTimeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
    }

    public IPEndPoint Address { get; }

    internal EventLoop Loop => _context.Loop;

    internal ServicePortRuntime Port => _port;

    internal int Fd => _fd;

    /// <summary>The loop's datagram buffer (one datagram is in flight at a time on a loop).</summary>
    internal byte* DatagramBuffer => _context.DatagramBuffer;

    internal int MaxDatagram => _context.Relays.Options.UdpMaxDatagram;

    public void Open()
    {
        _slot = Loop.Register(_fd, this, EPOLLIN | EPOLLET);
        Loop.Defer(this, _slot);
    }

    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        foreach (var session in _sessions.Values)
        {
            session.Close();
        }

        _sessions.Clear();
        if (_slot != 0)
        {
            Loop.Release(_slot);
        }

        NativeSocket.Close(_fd);
    }

    public void OnEvents(int slot, uint events)
    {
        if (_closed)
        {
            return;
        }

        var buffer = _context.DatagramBuffer;
        var address = stackalloc byte[SocketAddressLayout.MaxLength];
        for (var i = 0; i < MaxDatagramsPerEvent; i++)
        {
            var length = SocketAddressLayout.MaxLength;
            var n = PacketInfo.ReceiveFrom(_fd, buffer, _context.Relays.Options.UdpMaxDatagram, address, ref length, out var local);
            if (n < 0)
            {
                var errno = Errno.Last;
                if (errno == Errno.EAGAIN)
                {
                    return;
                }

                // EINTR, or an ICMP error queued on the socket: nothing to do for this datagram.
                continue;
            }

            var from = new ReadOnlySpan<byte>(address, length);
            var key = new UdpClientKey(ClientAddress.FromSocketAddress(from), SocketAddressLayout.ReadPort(from));
            if (!_sessions.TryGetValue(key, out var session))
            {
                session = OpenSession(key, from);
                if (session is null)
                {
                    continue;
                }
            }

            // The latest datagram's: a client re-sending through another of the port's addresses gets replies from that one.
            session.ReplyFrom = local;
            session.SendToEndpoint(buffer, (int)n);
        }

        Loop.Defer(this, _slot);
    }

    /// <summary>Drops idle sessions and sessions whose endpoint left the port.</summary>
    public void Sweep(long now)
    {
        if (_closed)
        {
            return;
        }

        var endpoints = _port.Endpoints;
        foreach (var session in _sessions.Values)
        {
            if (now - session.LastActivity > _idleTicks || _port.Removed || !session.EndpointIn(endpoints))
            {
                _expired.Add(session);
            }
        }

        foreach (var session in _expired)
        {
            Drop(session);
        }

        _expired.Clear();
    }

    /// <summary>Called by a session that failed (e.g. the endpoint refused it).</summary>
    internal void Drop(UdpSession session)
    {
        if (_sessions.Remove(session.Key))
        {
            session.Close();
            _pool.Push(session);
        }
    }

    private UdpSession? OpenSession(in UdpClientKey key, ReadOnlySpan<byte> clientAddress)
    {
        var counters = _port.Counters;
        counters.Add(Loop.Index, Counter.ConnectionsAccepted);
        var endpoint = _port.Select(key.Address, Loop.Now);
        if (endpoint is null)
        {
            counters.Add(Loop.Index, Counter.ConnectionsFailed);
            counters.Add(Loop.Index, Counter.ConnectionsClosed);
            return null;
        }

        var session = _pool.TryPop(out var pooled) ? pooled : new UdpSession(this);
        if (!session.Open(key, clientAddress, endpoint))
        {
            _port.Selector.ReportConnectFailure(key.Address, endpoint);
            _pool.Push(session);
            return null;
        }

        _sessions.Add(key, session);
        return session;
    }
}

/// <summary>A UDP client: its address and source port.</summary>
internal readonly record struct UdpClientKey(ClientAddress Address, int Port);
