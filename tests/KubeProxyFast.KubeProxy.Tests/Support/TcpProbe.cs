using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeProxyFast.KubeProxy.Tests.Support;

internal static class TcpProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>Connects through the proxy and returns the name the backend announces.</summary>
    public static async Task<string> Identify(IPEndPoint service)
    {
        using var socket = await Connect(service);
        return await ReadLine(socket);
    }

    /// <summary>Connects, sends <paramref name="payload"/>, and returns the backend's name and the echo.</summary>
    public static async Task<(string Backend, string Echo)> RoundTrip(IPEndPoint service, string payload)
    {
        using var socket = await Connect(service);
        var backend = await ReadLine(socket);
        await socket.SendAsync(Encoding.ASCII.GetBytes(payload + "\n"));
        return (backend, await ReadLine(socket));
    }

    /// <summary>True when nothing listens on <paramref name="service"/>: the kernel refuses the connection.</summary>
    public static async Task<bool> NothingListens(IPEndPoint service)
    {
        try
        {
            using var socket = await Connect(service);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    private static async Task<Socket> Connect(IPEndPoint service)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(service, cts.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<string> ReadLine(Socket socket)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var n = await socket.ReceiveAsync(one, cts.Token);
            if (n == 0 || one[0] == '\n')
            {
                return line.ToString();
            }

            line.Append((char)one[0]);
        }
    }
}
