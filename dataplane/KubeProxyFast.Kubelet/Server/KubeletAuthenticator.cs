using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Pki;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.Kubelet.Server;

/// <summary>
/// Who calls the kubelet's API, as the kubelet's delegated authentication decides it: a client
/// certificate that chains to the client CA, allows client authentication and is within its
/// validity names the user by its CN and the groups by its O values (Kubernetes' x509
/// authenticator); else a bearer token checked with a TokenReview; else, with
/// <c>--anonymous-auth</c>, <c>system:anonymous</c>. A certificate that does not verify, or a
/// token the apiserver does not know, is not anonymous: it is refused.
/// </summary>
internal sealed class KubeletAuthenticator
{
    private const string AuthenticatedGroup = "system:authenticated";

    private readonly ClientCertificateAuthorities _authorities;
    private readonly TokenReviewAuthenticator? _tokens;
    private readonly bool _anonymous;
    private readonly TimeProvider _time;

    public KubeletAuthenticator(ClientCertificateAuthorities authorities, TokenReviewAuthenticator? tokens, bool anonymous, TimeProvider time)
    {
        _authorities = authorities;
        _tokens = tokens;
        _anonymous = anonymous;
        _time = time;
    }

    /// <summary>The caller of <paramref name="http"/>; null for a 401.</summary>
    public async ValueTask<KubeletUser?> AuthenticateAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Connection.ClientCertificate is { } certificate)
        {
            return Verify(certificate);
        }

        if (BearerToken(http.Request) is { } token)
        {
            return _tokens is null ? null : await _tokens.AuthenticateAsync(token, cancellationToken).ConfigureAwait(false);
        }

        return _anonymous ? KubeletUser.Anonymous : null;
    }

    /// <summary>The user a client certificate names when it verifies against the client CA now.</summary>
    internal KubeletUser? Verify(X509Certificate2 certificate)
    {
        var authorities = _authorities.Current;
        if (authorities.Count == 0)
        {
            return null;
        }

        var (name, groups, _) = CertificateChains.ClientIdentity(certificate, authorities, _time.GetUtcNow().UtcDateTime);
        return name is null ? null : KubeletUser.Of(name, [.. groups, AuthenticatedGroup]);
    }

    /// <summary><c>Authorization: Bearer &lt;token&gt;</c>, as Kubernetes reads it (scheme case-insensitive, an empty token is none).</summary>
    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (header.Length <= Scheme.Length || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[Scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
