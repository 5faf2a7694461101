using System.Security.Cryptography.X509Certificates;

namespace KubeProxyFast.Client;

/// <summary>
/// How a client proves the server and itself, as a kubeconfig's cluster and user entries say it:
/// the CAs the server's certificate must chain to, a client certificate, a bearer token.
/// </summary>
public sealed record KubeClientCredentials
{
    /// <summary>No TLS settings and no credentials (plain HTTP, or HTTPS trusting the system's CAs).</summary>
    public static KubeClientCredentials None { get; } = new();

    /// <summary>
    /// The CAs the server's certificate must chain to (<c>certificate-authority[-data]</c>); only
    /// these are trusted, never the system's store. Null trusts the system's CAs.
    /// </summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    /// <summary>
    /// The client certificate with its private key (<c>client-certificate</c>/<c>client-key</c>),
    /// asked for at every TLS handshake so that a rotated certificate is used by new connections;
    /// null sends none.
    /// </summary>
    public Func<X509Certificate2?>? ClientCertificate { get; init; }

    /// <summary>A bearer token (<c>token</c>, or the current content of <c>tokenFile</c>); null sends none.</summary>
    public Func<string?>? BearerToken { get; init; }

    /// <summary><c>insecure-skip-tls-verify</c>: accept any server certificate (never the default).</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary><c>tls-server-name</c>: the name the server's certificate must carry, when not the URL's host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>An HTTP handler that speaks TLS as these credentials say and sends their token (for an HttpClient of the caller's).</summary>
    public HttpMessageHandler CreateHandler() => ClientTls.CreateHandler(this);

    /// <summary>Credentials with a fixed client certificate.</summary>
    public static KubeClientCredentials WithCertificate(X509Certificate2Collection authorities, X509Certificate2 clientCertificate) =>
        new() { CertificateAuthorities = authorities, ClientCertificate = () => clientCertificate };

    /// <summary>Credentials with a fixed bearer token.</summary>
    public static KubeClientCredentials WithToken(X509Certificate2Collection authorities, string token) =>
        new() { CertificateAuthorities = authorities, BearerToken = () => token };
}
