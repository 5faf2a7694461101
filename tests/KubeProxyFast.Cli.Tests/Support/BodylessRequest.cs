using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Support;

/// <summary>
/// A request to the apiserver whose body never comes: it holds the apiserver's graceful stop
/// (Kestrel waits for requests in flight) for seconds, until Kestrel's minimum body data rate
/// (240 B/s after a 5 s grace) or a stop deadline ends it.
/// </summary>
internal static class BodylessRequest
{
    /// <summary>
    /// Sends the request's head over TLS to <paramref name="api"/>, as the admin of
    /// <paramref name="kubeconfig"/>, and returns the open stream once the handler reads the body
    /// ("100 Continue" says so).
    /// </summary>
    public static async Task<Stream> StartAsync(IPEndPoint api, string kubeconfig)
    {
        var credentials = KubeClient.ReadKubeconfig(kubeconfig).Credentials;
        var socket = await TcpClientHelpers.Connect(api);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = api.Address.ToString(),
                ClientCertificates = [credentials.ClientCertificate!()!],
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => KubeconfigTls.Trusted(credentials, certificate as X509Certificate2, errors),
            });
            var request = string.Create(CultureInfo.InvariantCulture,
                $"POST /api/v1/namespaces HTTP/1.1\r\nHost: {api}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n");
            await tls.WriteAsync(Encoding.ASCII.GetBytes(request));
            var status = await ReadLineAsync(tls);
            if (!status.StartsWith("HTTP/1.1 100 Continue", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the apiserver answered \"{status}\", not 100 Continue");
            }

            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1 && one[0] != '\n')
        {
            line.Append((char)one[0]);
        }

        return line.ToString().TrimEnd('\r');
    }
}
