using System.Runtime.CompilerServices;
using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Metrics;
using KubeProxyFast.Dataplane.Relay;
using KubeProxyFast.Linux.Interop;
using Tmds.Linux;

namespace KubeProxyFast.Dataplane.Proxier;

/// <summary>
/// One UDP client of a service port: a socket connected to its endpoint, and the client's
/// address to send replies to. Pooled by its <see cref="UdpServiceSocket"/>.
/// </summary>
internal sealed unsafe class UdpSession : IEpollHandler
{
    private const uint EPOLLIN = 0x001;
    private const uint EPOLLET = 1u << 31;
    private const int MaxDatagramsPerEvent = 64;

    private readonly UdpServiceSocket _owner;
    private SockAddrBuffer _client;
    private int _clientLength;
    private int _fd = -1;
    private int _slot;
    private BackendEndpoint? _endpoint;

    public UdpSession(UdpServiceSocket owner) => _owner = owner;

    public UdpClientKey Key { get; private set; }

    public long LastActivity { get; private set; }

    /// <summary>The local address the client's latest datagram arrived on: replies leave from it.</summary>
    public LocalAddress ReplyFrom { get; set; }

    private EventLoop Loop => _owner.Loop;

    public bool Open(in UdpClientKey key, ReadOnlySpan<byte> clientAddress, BackendEndpoint endpoint)
    {
        Key = key;
        _endpoint = endpoint;
        clientAddress.CopyTo(_client);
        _clientLength = clientAddress.Length;
        LastActivity = Loop.Now;
        int fd;
        try
        {
            fd = NativeSocket.Create(endpoint.EndPoint.AddressFamily, udp: true, endpoint);
        }
        catch (NativeCallException)
        {
            return false;
        }

        if (NativeSocket.StartConnect(fd, endpoint.SocketAddress) != 0)
        {
            _owner.Port.Counters.Add(Loop.Index, Counter.EndpointConnectErrors);
            NativeSocket.Close(fd);
            return false;
        }

        _fd = fd;
        _slot = Loop.Register(fd, this, EPOLLIN | EPOLLET);
        return true;
    }

    public bool EndpointIn(EndpointSet set) => set.TryFind(_endpoint!, out _);

    public void SendToEndpoint(byte* datagram, int length)
    {
        LastActivity = Loop.Now;
        var n = (long)LibC.send(_fd, datagram, length, LibC.MSG_DONTWAIT | LibC.MSG_NOSIGNAL);
        var counters = _owner.Port.Counters;
        if (n < 0)
        {
            DropIfRefused(Errno.Last);
            return;
        }

        counters.Add(Loop.Index, Counter.DatagramsToEndpoints);
        counters.Add(Loop.Index, Counter.BytesToEndpoints, n);
    }

    public void OnEvents(int slot, uint events)
    {
        if (_fd < 0)
        {
            return;
        }

        var buffer = _owner.DatagramBuffer;
        var counters = _owner.Port.Counters;
        for (var i = 0; i < MaxDatagramsPerEvent; i++)
        {
            var n = (long)LibC.recv(_fd, buffer, _owner.MaxDatagram, LibC.MSG_DONTWAIT);
            if (n < 0)
            {
                DropIfRefused(Errno.Last);
                return;
            }

            LastActivity = Loop.Now;
            fixed (byte* client = &_client[0])
            {
                _ = PacketInfo.SendFrom(_owner.Fd, buffer, (int)n, client, _clientLength, ReplyFrom);
            }

            counters.Add(Loop.Index, Counter.DatagramsToClients);
            counters.Add(Loop.Index, Counter.BytesToClients, n);
        }

        Loop.Defer(this, _slot);
    }

    /// <summary>
    /// ECONNREFUSED: an earlier datagram drew an ICMP port-unreachable — the endpoint is gone;
    /// drop the session so the next datagram picks another endpoint.
    /// </summary>
    private void DropIfRefused(int errno)
    {
        if (errno == Errno.ECONNREFUSED)
        {
            _owner.Port.Counters.Add(Loop.Index, Counter.EndpointConnectErrors);
            _owner.Port.Selector.ReportConnectFailure(Key.Address, _endpoint!);
            _owner.Drop(this);
        }
    }

    public void Close()
    {
        if (_fd >= 0)
        {
            Loop.Release(_slot);
            NativeSocket.Close(_fd);
            _fd = -1;
            _slot = 0;
            _endpoint = null;
            _owner.Port.Counters.Add(Loop.Index, Counter.ConnectionsClosed);
        }
    }

    [InlineArray(SocketAddressLayout.MaxLength)]
    private struct SockAddrBuffer
    {
        private byte _element;
    }
}
