using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeProxyFast.Pki;

/// <summary>
/// Whether a certificate chains to given CAs — and to them only, never the machine's trust store —
/// as every verifier here judges it: the apiserver and the kubelet checking client certificates,
/// clients and the etcd store checking servers, the server checking its own issued certificates.
/// Revocation is not checked (no CRLs or OCSP exist in a cluster PKI).
/// </summary>
public static class CertificateChains
{
    /// <summary>The client-authentication extended key usage.</summary>
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>
    /// Null when <paramref name="certificate"/> chains to one of <paramref name="authorities"/>
    /// (through <paramref name="intermediates"/> if any), is valid at <paramref name="at"/> (now when
    /// null; not checked when <paramref name="ignoreTime"/>), and allows <paramref name="usageOid"/>
    /// when given; otherwise the chain's statuses, for a message.
    /// </summary>
    public static string? Problem(
        X509Certificate2 certificate, IEnumerable<X509Certificate2> authorities, DateTime? at = null, string? usageOid = null,
        IEnumerable<X509Certificate2>? intermediates = null, bool ignoreTime = false)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(authorities);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        foreach (var authority in authorities)
        {
            chain.ChainPolicy.CustomTrustStore.Add(authority);
        }

        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (at is { } time)
        {
            chain.ChainPolicy.VerificationTime = time;
            chain.ChainPolicy.VerificationTimeIgnored = false;
        }

        if (ignoreTime)
        {
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        }

        if (usageOid is not null)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usageOid));
        }

        foreach (var intermediate in intermediates ?? [])
        {
            chain.ChainPolicy.ExtraStore.Add(intermediate);
        }

        return chain.Build(certificate) ? null : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
    }

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="authorities"/> (see <see cref="Problem"/>).</summary>
    public static bool Verify(
        X509Certificate2 certificate, IEnumerable<X509Certificate2> authorities, DateTime? at = null, string? usageOid = null,
        IEnumerable<X509Certificate2>? intermediates = null, bool ignoreTime = false) =>
        Problem(certificate, authorities, at, usageOid, intermediates, ignoreTime) is null;

    /// <summary>
    /// The user a client certificate names, as Kubernetes' x509 authenticator reads it: it must
    /// chain to <paramref name="authorities"/>, be valid at <paramref name="at"/> and allow client
    /// authentication; its subject's CN is the user and its O values the groups.
    /// </summary>
    /// <returns>The user and groups, or the reason it does not authenticate.</returns>
    public static (string? User, IReadOnlyList<string> Groups, string? Error) ClientIdentity(
        X509Certificate2 certificate, IEnumerable<X509Certificate2> authorities, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (Problem(certificate, authorities, at, ClientAuthOid) is { } problem)
        {
            return (null, [], $"client certificate {certificate.Subject} does not verify against the client CA: {problem}");
        }

        return CertificateNames.CommonName(certificate.SubjectName) is { Length: > 0 } name
            ? (name, CertificateNames.Organizations(certificate.SubjectName), null)
            : (null, [], $"client certificate {certificate.Subject} has no common name to be the user");
    }
}
