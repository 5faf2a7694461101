using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Support;

/// <summary>
/// A request to the apiserver whose body never comes: it holds the apiserver's graceful stop
/// (Kestrel waits for requests in flight) for seconds, until Kestrel's minimum body data rate
/// (240 B/s after a 5 s grace) or a stop deadline ends it.
/// </summary>
internal static class BodylessRequest
{
    /// <summary>Sends the request's head to <paramref name="api"/> and returns once the handler reads the body ("100 Continue" says so).</summary>
    public static async Task<Socket> StartAsync(IPEndPoint api)
    {
        var socket = await TcpClientHelpers.Connect(api);
        var request = string.Create(CultureInfo.InvariantCulture,
            $"POST /api/v1/namespaces HTTP/1.1\r\nHost: {api}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n");
        await TcpClientHelpers.SendAll(socket, Encoding.ASCII.GetBytes(request));
        var status = await TcpClientHelpers.ReadLine(socket);
        if (!status.StartsWith("HTTP/1.1 100 Continue", StringComparison.Ordinal))
        {
            socket.Dispose();
            throw new InvalidOperationException($"the apiserver answered \"{status}\", not 100 Continue");
        }

        return socket;
    }
}
