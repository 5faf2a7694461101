using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KubeProxyFast.Kubelet.Tests.Probes;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 for the prober tests: each request's head is recorded and
/// answered by <c>respond</c> (raw response bytes, or null to never answer), then the connection is
/// closed. With <c>tls</c> it serves https with a fresh self-signed certificate for another name,
/// which a verifying client would refuse.
/// </summary>
internal sealed class HttpTestServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<string, string?> _respond;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public HttpTestServer(Func<string, string?> respond, bool tls = false)
    {
        _respond = respond;
        _certificate = tls ? SelfSigned() : null;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _loop = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Request heads received (request line and headers), in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>A response with <paramref name="status"/>, extra header lines and a body.</summary>
    public static string Response(int status, string body = "", params string[] headers) =>
        $"HTTP/1.1 {status} X\r\n{string.Concat(headers.Select(h => h + "\r\n"))}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _certificate?.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                connections.Add(ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                Stream stream = new NetworkStream(client, ownsSocket: false);
                if (_certificate is not null)
                {
                    var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                    stream = ssl;
                    await ssl.AuthenticateAsServerAsync(_certificate);
                }

                await using (stream)
                {
                    var head = await ReadHeadAsync(stream);
                    Requests.Enqueue(head);
                    if (_respond(head) is not { } response)
                    {
                        // Never answer: hold the connection until the server stops.
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    }

                    await stream.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer, _stop.Token);
            if (n == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return head.ToString();
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=not-the-pod.example", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // SslStream on Linux needs the key in an exportable form it can load.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
