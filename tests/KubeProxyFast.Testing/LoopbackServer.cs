using System.Net.Sockets;

namespace KubeProxyFast.Testing;

/// <summary>What <see cref="TcpBackend"/>, <see cref="TcpRelay"/> and <see cref="UdpBackend"/> share: their accept loop and how their serving loop is stopped.</summary>
internal static class LoopbackServer
{
    /// <summary>
    /// Accepts connections on <paramref name="listener"/> and hands each to <paramref name="accepted"/>
    /// until <paramref name="stop"/> is cancelled or the listener is closed.
    /// </summary>
    public static async Task AcceptLoopAsync(Socket listener, Action<Socket> accepted, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            accepted(client);
        }
    }

    /// <summary>
    /// Cancels <paramref name="stop"/> and closes <paramref name="socket"/> (which wakes a loop
    /// blocked in accept or receive), then waits for <paramref name="loop"/> to end.
    /// </summary>
    public static async ValueTask StopAsync(CancellationTokenSource stop, Socket socket, Task loop)
    {
        await stop.CancelAsync();
        socket.Dispose();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }
}
