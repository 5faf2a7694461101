using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace KubeProxyFast.Testing;

/// <summary>
/// A loopback TCP relay to a target (an apiserver), which a test can break for the clients that
/// go through it while everyone else still reaches the target: <see cref="Stall"/> keeps
/// accepting but forwards nothing (requests hang), <see cref="Cut"/> closes everything (connections
/// refused).
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly Task _acceptLoop;
    private volatile bool _stalled;

    /// <summary>Relays a free loopback port to <paramref name="target"/>.</summary>
    public TcpRelay(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        var port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        Url = new Uri($"http://127.0.0.1:{port}");
        _acceptLoop = LoopbackServer.AcceptLoopAsync(_listener, TrackAndRelay, _stop.Token);
    }

    /// <summary>Where clients connect instead of the target.</summary>
    public Uri Url { get; }

    /// <summary>Drops every open connection; later ones are accepted but never forwarded, so requests hang.</summary>
    public void Stall()
    {
        _stalled = true;
        CloseOpen();
    }

    /// <summary>Stops listening and drops every open connection: clients get connection refused.</summary>
    public void Cut()
    {
        _stalled = true;
        _stop.Cancel();
        _listener.Dispose();
        CloseOpen();
    }

    public ValueTask DisposeAsync()
    {
        CloseOpen();
        return LoopbackServer.StopAsync(_stop, _listener, _acceptLoop);
    }

    private void CloseOpen()
    {
        foreach (var socket in _open.Keys)
        {
            _open.TryRemove(socket, out _);
            socket.Dispose();
        }
    }

    private void TrackAndRelay(Socket client)
    {
        _open[client] = 0;
        if (!_stalled)
        {
            _ = Relay(client);
        }
    }

    private async Task Relay(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _open[server] = 0;
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            await Task.WhenAny(Pump(client, server), Pump(server, client));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(server, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task Pump(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, _stop.Token);
                if (n == 0 || _stalled)
                {
                    return;
                }

                for (var sent = 0; sent < n;)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
