using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeProxyFast.Dataplane.Tests.Support;

/// <summary>
/// A real TCP server on loopback standing in for a pod. On accept it sends its name and a
/// newline (so a client learns which endpoint it reached), then echoes everything back; when the
/// client half-closes it finishes echoing and half-closes too.
/// </summary>
internal sealed class TcpBackend : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _accepted;

    public TcpBackend(string name, IPAddress? address = null, bool banner = true)
    {
        Name = name;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        _listener.Listen(2048);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        Banner = banner;
        _acceptLoop = AcceptLoop();
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    public bool Banner { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _ = Serve(client);
        }
    }

    private async Task Serve(Socket client)
    {
        using (client)
        {
            try
            {
                if (Banner)
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
