using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Client;

/// <summary>The HTTP stack of a client with <see cref="KubeClientCredentials"/>: TLS as they say, and their bearer token on every request.</summary>
internal static class ClientTls
{
    /// <summary>A handler for <paramref name="credentials"/>, to be owned by one HttpClient.</summary>
    public static HttpMessageHandler CreateHandler(KubeClientCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var sockets = new SocketsHttpHandler
        {
            // Watches hold their connections for minutes; requests beside them open others.
            EnableMultipleHttp2Connections = true,
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                TargetHost = credentials.TlsServerName,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Verify(credentials, certificate as X509Certificate2, chain, errors),
                LocalCertificateSelectionCallback = credentials.ClientCertificate is { } select ? (_, _, _, _, _) => select()! : null,
            },
        };
        return credentials.BearerToken is { } token ? new BearerTokenHandler(token, sockets) : sockets;
    }

    /// <summary>True when the server's certificate chains to the configured CAs (or the system's) and names the host.</summary>
    internal static bool Verify(KubeClientCredentials credentials, X509Certificate2? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (credentials.InsecureSkipTlsVerify)
        {
            return true;
        }

        if (credentials.CertificateAuthorities is not { } authorities)
        {
            return errors == SslPolicyErrors.None;
        }

        // The name and presence checks stand; only the chain is judged against our CAs instead of the system's.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        return CertificateChains.Verify(certificate, authorities, intermediates: presented?.ChainElements.Select(e => e.Certificate));
    }

    /// <summary>Adds <c>Authorization: Bearer …</c> to every request (read per request, so a rotated token file is followed).</summary>
    private sealed class BearerTokenHandler : DelegatingHandler
    {
        private readonly Func<string?> _token;

        public BearerTokenHandler(Func<string?> token, HttpMessageHandler inner)
            : base(inner) => _token = token;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.Authorization is null && _token() is { Length: > 0 } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
