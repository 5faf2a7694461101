using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Pki;
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
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
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

        return ValueTask.FromResult(Verify(certificate));
    }

    /// <summary>The user a certificate names, when it verifies.</summary>
    public AuthenticationResult Verify(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuthOid));
        if (!chain.Build(certificate))
        {
            var statuses = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
            return AuthenticationResult.Failed($"client certificate {certificate.Subject} does not verify against the client CA: {statuses}");
        }

        var name = CertificateNames.CommonName(certificate.SubjectName);
        if (string.IsNullOrEmpty(name))
        {
            return AuthenticationResult.Failed($"client certificate {certificate.Subject} has no common name to be the user");
        }

        return AuthenticationResult.Success(UserInfo.Of(name, CertificateNames.Organizations(certificate.SubjectName)));
    }
}
