using System.Security.Cryptography.X509Certificates;

namespace KubeProxyFast.Pki;

/// <summary>When a certificate is due for renewal, as k3s decides it on start: within 90 days of its end, or already past it.</summary>
public static class CertificateRenewal
{
    /// <summary>k3s renews certificates that expire within 90 days.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(90);

    /// <summary>True when <paramref name="certificate"/> ends within <paramref name="window"/> of now, or is not yet valid.</summary>
    public static bool IsDue(X509Certificate2 certificate, TimeProvider time, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        return now + window >= certificate.NotAfter.ToUniversalTime() || now < certificate.NotBefore.ToUniversalTime();
    }

    /// <summary>
    /// The moment a rotating client renews its certificate, as the kubelet's certificate manager:
    /// at 80% of its lifetime (Kubernetes jitters between 70% and 90%).
    /// </summary>
    public static DateTimeOffset RotationDeadline(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        return notBefore + ((notAfter - notBefore) * 0.8);
    }
}
