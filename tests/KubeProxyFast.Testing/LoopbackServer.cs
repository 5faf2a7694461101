using System.Net.Sockets;

namespace KubeProxyFast.Testing;

/// <summary>What <see cref="TcpBackend"/> and <see cref="UdpBackend"/> share: how their serving loop is stopped.</summary>
internal static class LoopbackServer
{
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
