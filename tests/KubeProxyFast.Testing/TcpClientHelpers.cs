using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeProxyFast.Testing;

/// <summary>
/// The client side of a test against a <see cref="TcpBackend"/>, usually through the proxy. Every
/// operation is bounded, so a proxy that hangs fails the test instead of stalling the run.
/// </summary>
public static class TcpClientHelpers
{
    public static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Connects to <paramref name="service"/>, from <paramref name="from"/> when given (any port),
    /// from inside network namespace <paramref name="inside"/> when given.
    /// </summary>
    public static async Task<Socket> Connect(IPEndPoint service, IPAddress? from = null, NetworkNamespace? inside = null)
    {
        var socket = inside is null
            ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            : inside.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            if (from is not null)
            {
                socket.Bind(new IPEndPoint(from, 0));
            }

            using var cts = new CancellationTokenSource(IoTimeout);
            await socket.ConnectAsync(service, cts.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects and reads the backend's banner line; returns the open socket and the backend's name.</summary>
    public static async Task<(Socket Socket, string Backend)> ConnectAndIdentify(IPEndPoint service, IPAddress? from = null, NetworkNamespace? inside = null)
    {
        var socket = await Connect(service, from, inside);
        try
        {
            return (socket, await ReadLine(socket));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects, reads the name the backend announces, and closes.</summary>
    public static async Task<string> Identify(IPEndPoint service, IPAddress? from = null, NetworkNamespace? inside = null)
    {
        using var socket = await Connect(service, from, inside);
        return await ReadLine(socket);
    }

    /// <summary>Connects, sends <paramref name="payload"/> as a line, and returns the backend's name and the echoed line.</summary>
    public static async Task<(string Backend, string Echo)> RoundTrip(IPEndPoint service, string payload)
    {
        using var socket = await Connect(service);
        var backend = await ReadLine(socket);
        await SendAll(socket, Encoding.ASCII.GetBytes(payload + "\n"));
        return (backend, await ReadLine(socket));
    }

    /// <summary>
    /// True when nothing listens on <paramref name="service"/> (from inside network namespace
    /// <paramref name="inside"/> when given): the kernel refuses the connection.
    /// </summary>
    public static async Task<bool> NothingListens(IPEndPoint service, NetworkNamespace? inside = null)
    {
        try
        {
            using var socket = await Connect(service, inside: inside);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // The SYN met a listener that closed before accepting it (seen in a full parallel
            // run): something still listened then, so this is no answer yet; pollers ask again.
            return false;
        }
    }

    /// <summary>Reads up to a newline (not included) or the peer's close.</summary>
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
