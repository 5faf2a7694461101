using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeProxyFast.Testing;

/// <summary>
/// A real TCP server on loopback standing in for a pod. On accept it sends its name and a
/// newline (so a client learns which endpoint it reached; <c>banner: false</c> leaves that out
/// for byte-exact relay checks), then echoes everything back; when the client half-closes it
/// finishes echoing and half-closes too.
/// </summary>
public sealed class TcpBackend : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly bool _banner;
    private int _accepted;

    /// <param name="name">What the backend answers with.</param>
    /// <param name="banner">Whether to send the name first.</param>
    /// <param name="bind">Where to listen; 127.0.0.1 and a free port by default. The socket belongs
    /// to the network namespace of the calling thread (see <see cref="NetworkNamespace.Run"/>).</param>
    public TcpBackend(string name, bool banner = true, IPEndPoint? bind = null)
    {
        Name = name;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(bind ?? new IPEndPoint(IPAddress.Loopback, 0));
        // A relay test holds a thousand connections open at once; with a short backlog the kernel
        // drops SYNs while the accept loop catches up, and each drop costs a 1 s retransmit.
        _listener.Listen(2048);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _banner = banner;
        _acceptLoop = LoopbackServer.AcceptLoopAsync(_listener, CountAndServe, _stop.Token);
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public ValueTask DisposeAsync() => LoopbackServer.StopAsync(_stop, _listener, _acceptLoop);

    private void CountAndServe(Socket client)
    {
        Interlocked.Increment(ref _accepted);
        _ = Serve(client);
    }

    private async Task Serve(Socket client)
    {
        using (client)
        {
            try
            {
                if (_banner)
                {
                    await client.SendAsync(Encoding.ASCII.GetBytes(Name + "\n"), _stop.Token);
                }

                var buffer = new byte[64 * 1024];
                while (true)
                {
                    var n = await client.ReceiveAsync(buffer, _stop.Token);
                    if (n == 0)
                    {
                        client.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    var sent = 0;
                    while (sent < n)
                    {
                        sent += await client.SendAsync(buffer.AsMemory(sent, n - sent), _stop.Token);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
