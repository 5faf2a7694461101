using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Metrics;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Linux.Interop;
using Tmds.Linux;

namespace KubeProxyFast.Dataplane.Relay;

/// <summary>
/// One proxied TCP connection: the accepted client socket, the socket to the chosen endpoint,
/// and the two flows between them. Lives on one event loop, is pooled there, and allocates
/// nothing once rented. Both sockets are registered edge-triggered for read and write; the
/// readiness flags remember what epoll reported until a call returns EAGAIN, so no call is made
/// that is known to fail.
/// </summary>
internal sealed unsafe partial class TcpRelay : IBatchHandler
{
    private const uint EPOLLIN = 0x001;
    private const uint EPOLLOUT = 0x004;
    private const uint EPOLLERR = 0x008;
    private const uint EPOLLHUP = 0x010;
    private const uint EPOLLRDHUP = 0x2000;
    private const uint EPOLLET = 1u << 31;
    private const uint Interest = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;

    // A flow that keeps finding data stops after this many reads and lets the loop serve others
    // (edge-triggered epoll will not report it again, so it is deferred, not dropped).
    private const int MaxRoundsPerEvent = 16;

    private readonly TcpRelayManager _manager;
    private int _clientFd = -1;
    private int _backendFd = -1;
    private int _clientSlot;
    private int _backendSlot;
    private State _state;
    private ServicePortRuntime _port = null!;
    private BackendEndpoint? _endpoint;
    private ClientAddress _client;
    private int _attempts;
    private long _stateSince;
    private long _lastActivity;
    private long _drainSince;
    private long _shortageSince;
    private EndpointSet? _checkedSet;
    private bool _clientReadable;
    private bool _clientWritable;
    private bool _backendReadable;
    private bool _backendWritable;
    private bool _clientHungUp;
    private bool _backendHungUp;
    private bool _clientFin;
    private bool _backendFin;
    private Flow _up;
    private Flow _down;

    public TcpRelay(TcpRelayManager manager) => _manager = manager;

    private enum State
    {
        Idle,
        Connecting,
        Relaying,
    }

    private enum Progress
    {
        Blocked,
        Again,
        Done,
        Failed,
    }

    /// <summary>Neighbours in the loop's list of open relays.</summary>
    public TcpRelay? Previous { get; set; }

    /// <summary>Neighbours in the loop's list of open relays.</summary>
    public TcpRelay? Next { get; set; }

    private EventLoop Loop => _manager.Loop;

    /// <summary>Takes over an accepted client socket and starts connecting to an endpoint.</summary>
    public void Start(int clientFd, ServicePortRuntime port, in ClientAddress client)
    {
        _clientFd = clientFd;
        _port = port;
        _client = client;
        _attempts = 0;
        _drainSince = 0;
        _shortageSince = 0;
        _checkedSet = null;
        _clientReadable = _clientWritable = _clientHungUp = _clientFin = false;
        var splice = _manager.Options.Relay == RelayMode.Splice;
        _up = Flow.Create(splice);
        _down = Flow.Create(splice);
        _lastActivity = Loop.Now;
        // TCP_NODELAY is inherited from the listening socket (set once there).
        _clientSlot = Loop.RegisterLater(clientFd, this, Interest);
        // Not idle from here on: a connect that fails at once must still close the client.
        _state = State.Connecting;
        Connect(exclude: null);
    }

    public void OnEvents(int slot, uint events)
    {
        if (_state == State.Idle)
        {
            return;
        }

        if (slot == _clientSlot)
        {
            _clientReadable |= (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
            _clientHungUp |= (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
            _clientFin |= (events & (EPOLLRDHUP | EPOLLERR)) == EPOLLRDHUP;
            _clientWritable |= (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0;
        }
        else if (slot == _backendSlot)
        {
            _backendReadable |= (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
            _backendHungUp |= (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
            _backendFin |= (events & (EPOLLRDHUP | EPOLLERR)) == EPOLLRDHUP;
            _backendWritable |= (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0;
            if (_state == State.Connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0)
            {
                CompleteConnect(events);
                return;
            }
        }
        else
        {
            return;
        }

        if (_state == State.Relaying)
        {
            _lastActivity = Loop.Now;
            Pump();
        }
    }

    /// <summary>A socket that epoll refused to watch would never be served: the connection is refused.</summary>
    public void OnRegistrationFailed(int slot, int errno)
    {
        if (_state != State.Idle && (slot == _clientSlot || slot == _backendSlot))
        {
            LoopLog.RegistrationFailed(_manager.Logger, _port.Name, Errno.Name(errno));
            GiveUp();
        }
    }

    /// <summary>A send queued by <see cref="Flush"/> ran: account for it and go on.</summary>
    public void OnSendCompleted(int slot, int result)
    {
        var up = slot == _backendSlot;
        if (_state != State.Relaying || (!up && slot != _clientSlot))
        {
            return;
        }

        ref var flow = ref up ? ref _up : ref _down;
        flow.SendQueued = false;
        if (result > 0)
        {
            BufferSent(ref flow, result, up ? Counter.BytesToEndpoints : Counter.BytesToClients);
        }
        else if (result == -Errno.EAGAIN)
        {
            // The socket's buffer is full: its EPOLLOUT edge resumes this flow.
            ref var writable = ref up ? ref _backendWritable : ref _clientWritable;
            writable = false;
        }
        else if (result != -Errno.EINTR)
        {
            Close(reset: true);
            return;
        }

        _lastActivity = Loop.Now;
        Pump();
    }

    /// <summary>Timeouts and drains, from the loop's sweep.</summary>
    public void Sweep(long now)
    {
        if (_state == State.Connecting)
        {
            if (_backendFd < 0)
            {
                RetryAfterShortage(now);
            }
            else if (now - _stateSince > _manager.ConnectTimeoutTicks)
            {
                ConnectFailed(LibC.ETIMEDOUT);
            }

            return;
        }

        if (now - _lastActivity > _manager.IdleTimeoutTicks)
        {
            Close(reset: false);
            return;
        }

        // Level-based drain: while the endpoint is missing from the port's current set (or the
        // port is gone) the clock runs; if it comes back, the clock stops.
        var set = _port.Endpoints;
        if (!ReferenceEquals(set, _checkedSet) || _port.Removed)
        {
            _checkedSet = set;
            var present = !_port.Removed && set.TryFind(_endpoint!, out _);
            _drainSince = present ? 0 : _drainSince == 0 ? now : _drainSince;
        }

        if (_drainSince != 0 && now - _drainSince >= _manager.DrainTicks)
        {
            Close(reset: false);
        }
    }

    private void Connect(BackendEndpoint? exclude)
    {
        var endpoint = _port.Select(in _client, Loop.Now, exclude);
        if (endpoint is null)
        {
            GiveUp();
            return;
        }

        _endpoint = endpoint;
        _attempts++;
        int fd;
        try
        {
            fd = NativeSocket.Create(endpoint.EndPoint.AddressFamily, udp: false, endpoint);
        }
        catch (NativeCallException e) when (IsDescriptorShortage(e.Errno))
        {
            // Out of descriptors is not the endpoint's fault: keep the client and try again from
            // the sweep (the listener has paused accepting too), as HAProxy queues at maxconn.
            _attempts--;
            _shortageSince = _shortageSince == 0 ? Loop.Now : _shortageSince;
            return;
        }
        catch (NativeCallException e)
        {
            ConnectFailed(e.Errno);
            return;
        }

        Loop.SetNoDelayLater(fd);
        _backendFd = fd;
        _backendReadable = _backendWritable = _backendHungUp = _backendFin = false;
        _state = State.Connecting;
        _stateSince = Loop.Now;
        var errno = NativeSocket.StartConnect(fd, endpoint.SocketAddress);
        if (errno != 0)
        {
            ConnectFailed(errno);
            return;
        }

        _backendSlot = Loop.RegisterLater(fd, this, Interest);
    }

    private static bool IsDescriptorShortage(int errno) =>
        errno == Errno.EMFILE || errno == Errno.ENFILE || errno == Errno.ENOBUFS || errno == Errno.ENOMEM;

    /// <summary>From the sweep: a client held for want of a descriptor tries again, or gives up after the connect timeout × attempts.</summary>
    private void RetryAfterShortage(long now)
    {
        if (now - _shortageSince > _manager.ConnectTimeoutTicks * _manager.Options.MaxConnectAttempts)
        {
            GiveUp();
            return;
        }

        Connect(exclude: null);
    }

    private void CompleteConnect(uint events)
    {
        // Writable without an error condition is a completed connect; only a failure needs
        // SO_ERROR (one syscall saved per connection).
        if ((events & (EPOLLERR | EPOLLHUP)) != 0)
        {
            var errno = NativeSocket.PendingError(_backendFd);
            ConnectFailed(errno != 0 ? errno : Errno.ECONNREFUSED);
            return;
        }

        _state = State.Relaying;
        _lastActivity = Loop.Now;
        // The client may have sent its request while we were connecting.
        _clientReadable = true;
        Pump();
    }

    private void ConnectFailed(int errno)
    {
        var endpoint = _endpoint!;
        _port.Counters.Add(Loop.Index, Counter.EndpointConnectErrors);
        if (_manager.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            LoopLog.ConnectFailed(_manager.Logger, _port.Name, endpoint.ToString(), Errno.Name(errno));
        }

        _port.Selector.ReportConnectFailure(in _client, endpoint);
        CloseBackend();
        if (_attempts < _manager.Options.MaxConnectAttempts && !_port.Removed)
        {
            Connect(exclude: endpoint);
        }
        else
        {
            LoopLog.GaveUp(_manager.Logger, _port.Name, _attempts);
            GiveUp();
        }
    }

    /// <summary>No endpoint (left): refuse the client with a reset, as a closed port would.</summary>
    private void GiveUp()
    {
        _port.Counters.Add(Loop.Index, Counter.ConnectionsFailed);
        Close(reset: true);
    }

    private void Pump()
    {
        var up = Transfer(ref _up, _clientFd, _backendFd, _backendSlot, ref _clientReadable, _clientHungUp, _clientFin, ref _backendWritable, _down.ShutDown, Counter.BytesToEndpoints);
        if (up == Progress.Failed)
        {
            Close(reset: true);
            return;
        }

        var down = Transfer(ref _down, _backendFd, _clientFd, _clientSlot, ref _backendReadable, _backendHungUp, _backendFin, ref _clientWritable, _up.ShutDown, Counter.BytesToClients);
        if (down == Progress.Failed)
        {
            Close(reset: true);
            return;
        }

        if (up == Progress.Done && down == Progress.Done)
        {
            Close(reset: false);
        }
        else if (up == Progress.Again || down == Progress.Again)
        {
            Loop.Defer(this, _clientSlot);
        }
    }

    private void CloseBackend(bool reset = false)
    {
        if (_backendFd >= 0)
        {
            if (_backendSlot != 0)
            {
                Loop.Release(_backendSlot);
            }

            Loop.CloseLater(_backendFd, reset);
            _backendFd = -1;
            _backendSlot = 0;
        }
    }

    /// <summary>Closes both sides (with RST when <paramref name="reset"/>), frees buffers and pipes, returns to the pool.</summary>
    public void Close(bool reset)
    {
        if (_state == State.Idle)
        {
            return;
        }

        ReleaseFlow(ref _up);
        ReleaseFlow(ref _down);
        CloseBackend(reset);
        Loop.Release(_clientSlot);
        Loop.CloseLater(_clientFd, reset);
        _port.Counters.Add(Loop.Index, Counter.ConnectionsClosed);
        _clientFd = -1;
        _clientSlot = 0;
        _state = State.Idle;
        _endpoint = null;
        _checkedSet = null;
        _port = null!;
        _manager.Return(this);
    }
}
