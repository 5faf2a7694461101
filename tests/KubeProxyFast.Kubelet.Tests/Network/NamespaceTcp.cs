using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Network;

/// <summary>Real TCP connections between test namespaces: the sockets are made inside them.</summary>
internal static class NamespaceTcp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Listens in <paramref name="server"/> on <paramref name="address"/>:<paramref name="port"/>,
    /// connects from <paramref name="client"/>, and returns the source address the server saw.
    /// </summary>
    public static async Task<IPAddress> ConnectAsync(NetworkNamespace client, NetworkNamespace server, IPAddress address, int port)
    {
        using var listener = server.Run(() =>
        {
            var l = new TcpListener(address, port);
            l.Start();
            return l;
        });
        using var socket = client.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var deadline = new CancellationTokenSource(Timeout);
        var accept = listener.AcceptSocketAsync(deadline.Token).AsTask();
        await socket.ConnectAsync(new IPEndPoint(address, port), deadline.Token);
        using var accepted = await accept;
        return ((IPEndPoint)accepted.RemoteEndPoint!).Address;
    }
}
