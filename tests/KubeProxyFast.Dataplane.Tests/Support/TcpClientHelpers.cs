using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeProxyFast.Dataplane.Tests.Support;

internal static class TcpClientHelpers
{
    public static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Connects to the proxy and reads the backend's banner line; returns the socket and the name.</summary>
    public static async Task<(Socket Socket, string Backend)> ConnectAndIdentify(IPEndPoint service, IPAddress? from = null)
    {
        var socket = await Connect(service, from);
        return (socket, await ReadLine(socket));
    }

    public static async Task<Socket> Connect(IPEndPoint service, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        using var cts = new CancellationTokenSource(IoTimeout);
        await socket.ConnectAsync(service, cts.Token);
        return socket;
    }

    public static async Task<string> ReadLine(Socket socket)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        using var cts = new CancellationTokenSource(IoTimeout);
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

    /// <summary>Reads until the peer closes; returns everything read.</summary>
    public static async Task<byte[]> ReadToEnd(Socket socket)
    {
        using var cts = new CancellationTokenSource(IoTimeout * 3);
        using var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, cts.Token);
            if (n == 0)
            {
                return all.ToArray();
            }

            all.Write(buffer, 0, n);
        }
    }

    public static async Task SendAll(Socket socket, ReadOnlyMemory<byte> data)
    {
        using var cts = new CancellationTokenSource(IoTimeout * 3);
        while (!data.IsEmpty)
        {
            var n = await socket.SendAsync(data, cts.Token);
            data = data[n..];
        }
    }
}
