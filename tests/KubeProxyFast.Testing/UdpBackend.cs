using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeProxyFast.Testing;

/// <summary>A UDP server on loopback that answers each datagram with "&lt;name&gt;:&lt;datagram&gt;", like a DNS server answers a query.</summary>
public sealed class UdpBackend : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="name">What the backend prefixes replies with.</param>
    /// <param name="bind">Where to listen; 127.0.0.1 and a free port by default (the calling
    /// thread's network namespace, see <see cref="NetworkNamespace.Run"/>).</param>
    public UdpBackend(string name, IPEndPoint? bind = null)
    {
        Name = name;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(bind ?? new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = Serve();
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    public ValueTask DisposeAsync() => LoopbackServer.StopAsync(_stop, _socket, _loop);

    private async Task Serve()
    {
        var buffer = new byte[65535];
        var prefix = Encoding.ASCII.GetBytes(Name + ":");
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var reply = new byte[prefix.Length + received.ReceivedBytes];
            prefix.CopyTo(reply, 0);
            buffer.AsSpan(0, received.ReceivedBytes).CopyTo(reply.AsSpan(prefix.Length));
            await _socket.SendToAsync(reply, received.RemoteEndPoint, _stop.Token);
        }
    }
}
