using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace KubeProxyFast.Testing;

/// <summary>
/// A TCP relay from loopback in one network namespace to an address in another, made by this
/// process holding a socket in each: how a node namespace reaches an apiserver that listens on its
/// own namespace's loopback (or is reached by a test on loopback). No link joins the namespaces.
/// </summary>
public sealed class NamespaceRelay : IAsyncDisposable
{
    private readonly NetworkNamespace _to;
    private readonly IPEndPoint _target;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly Task _acceptLoop;

    /// <summary>Listens on a free loopback port in <paramref name="from"/> and relays to <paramref name="target"/> in <paramref name="to"/>.</summary>
    public NamespaceRelay(NetworkNamespace from, NetworkNamespace to, Uri target)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(target);
        _to = to;
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener = from.Run(() =>
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(128);
            return listener;
        });
        // The target's scheme: TLS passes through the relay untouched.
        Url = new Uri($"{target.Scheme}://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}");
        _acceptLoop = LoopbackServer.AcceptLoopAsync(_listener, accepted => _ = RelayAsync(accepted), _stop.Token);
    }

    /// <summary>The relay's URL, valid inside the namespace it listens in.</summary>
    public Uri Url { get; }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        foreach (var socket in _open.Keys)
        {
            socket.Dispose();
        }

        return LoopbackServer.StopAsync(_stop, _listener, _acceptLoop);
    }

    private async Task RelayAsync(Socket client)
    {
        Socket? upstream = null;
        _open[client] = 0;
        try
        {
            upstream = _to.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true });
            _open[upstream] = 0;
            await upstream.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
            await Task.WhenAny(PumpAsync(client, upstream), PumpAsync(upstream, client)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The target went away or the relay stops: the client sees the connection close.
        }
        finally
        {
            _open.TryRemove(client, out _);
            client.Dispose();
            if (upstream is not null)
            {
                _open.TryRemove(upstream, out _);
                upstream.Dispose();
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side closed.
        }
    }
}
