using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Pki;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>
/// Kubernetes' x509 authenticator: a client certificate presented in the TLS handshake that chains
/// to one of the client CAs (<c>--client-ca-file</c>), is within its validity and allows client
/// authentication names the user by its subject's CN and the groups by its O values. A certificate
/// that does not verify is a failure (401), never anonymous.
/// </summary>
internal sealed class ClientCertificateAuthenticator : IAuthenticator
{
    // The key of a connection's verified certificate among its connection items.
    private static readonly object VerifiedKey = new();

    private readonly X509Certificate2Collection _authorities;
    private readonly TimeProvider _time;

    /// <summary>Verifies against <paramref name="authorities"/> only, never the machine's trust store.</summary>
    public ClientCertificateAuthenticator(X509Certificate2Collection authorities, TimeProvider time)
    {
        _authorities = authorities;
        _time = time;
    }

    /// <inheritdoc/>
    public ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Connection.ClientCertificate is not { } certificate)
        {
            return ValueTask.FromResult(AuthenticationResult.None);
        }

        // A connection presents its certificate once, in the handshake: verified for its first
        // request, its user serves the rest until the certificate's end (building the chain was
        // the largest cost of an authorized request over a kept-alive connection).
        var items = http.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is not null && items.TryGetValue(VerifiedKey, out var held) && held is Verified verified
            && ReferenceEquals(verified.Certificate, certificate) && _time.GetUtcNow() < verified.NotAfter)
        {
            return ValueTask.FromResult(AuthenticationResult.Success(verified.User));
        }

        var result = Verify(certificate);
        if (items is not null && result.User is { } user)
        {
            items[VerifiedKey] = new Verified(certificate, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), user);
        }

        return ValueTask.FromResult(result);
    }

    /// <summary>The user a certificate names, when it verifies.</summary>
    public AuthenticationResult Verify(X509Certificate2 certificate)
    {
        var (name, groups, error) = CertificateChains.ClientIdentity(certificate, _authorities, _time.GetUtcNow().UtcDateTime);
        return name is null ? AuthenticationResult.Failed(error!) : AuthenticationResult.Success(UserInfo.Of(name, groups));
    }

    private sealed record Verified(X509Certificate2 Certificate, DateTimeOffset NotAfter, UserInfo User);
}
