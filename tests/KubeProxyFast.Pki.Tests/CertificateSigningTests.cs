using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeProxyFast.Pki.Tests;

public sealed class CertificateSigningTests
{
    [Fact]
    public void Sign_Request_KeepsSubjectKeyAndNamesButNotOtherExtensions()
    {
        using var ca = CertificateAuthority.Create("kpf-client-ca", TimeProvider.System);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("n1");
        names.AddIpAddress(IPAddress.Parse("198.18.0.21"));
        // A request asking to be a CA must not get it: the signer decides what a certificate may do.
        var pem = SigningRequests.Create(CertificateAuthority.Subject("system:node:n1", ["system:nodes"]), key,
            names.Build(), new X509BasicConstraintsExtension(true, false, 0, true));
        var parsed = SigningRequests.Parse(pem);

        using var certificate = ca.Sign(parsed, CertificateUsage.Server, TimeSpan.FromDays(30), TimeProvider.System);

        Assert.Equal("system:node:n1", CertificateNames.CommonName(certificate.SubjectName));
        Assert.Equal(["system:nodes"], CertificateNames.Organizations(certificate.SubjectName));
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.False(Assert.IsType<X509BasicConstraintsExtension>(certificate.Extensions["2.5.29.19"]).CertificateAuthority);
        var usage = Assert.IsType<X509EnhancedKeyUsageExtension>(certificate.Extensions["2.5.29.37"]);
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], usage.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        var (dns, ips) = CertificateNames.AlternativeNames(certificate.Extensions.Cast<X509Extension>());
        Assert.Equal(["n1"], dns);
        Assert.Equal([IPAddress.Parse("198.18.0.21")], ips);
        Assert.InRange(certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromDays(29), TimeSpan.FromDays(31));
    }

    [Fact]
    public void Parse_TamperedRequest_IsRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = SigningRequests.Create(CertificateAuthority.Subject("system:node:n1", ["system:nodes"]), key);
        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        // Flip a byte inside the subject (signed data): the signature no longer verifies.
        var at = der.AsSpan().IndexOf("n1"u8);
        der[at] = (byte)'x';
        var tampered = PemEncoding.WriteString("CERTIFICATE REQUEST", der);

        Assert.ThrowsAny<CryptographicException>(() => SigningRequests.Parse(tampered));
    }

    [Fact]
    public void Issue_LifetimeBeyondTheCa_EndsWithTheCa()
    {
        using var ca = CertificateAuthority.Create("short-ca", TimeProvider.System, TimeSpan.FromDays(10));

        using var leaf = ca.Issue(new LeafSpec { CommonName = "x", Lifetime = TimeSpan.FromDays(365) }, TimeProvider.System);

        Assert.Equal(ca.Certificate.NotAfter, leaf.NotAfter);
    }

    [Fact]
    public void HasOtherAlternativeNames_UriName_IsTrue()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("x");
        Assert.False(CertificateNames.HasOtherAlternativeNames([names.Build()]));

        names.AddUri(new Uri("spiffe://cluster/ns/default"));
        Assert.True(CertificateNames.HasOtherAlternativeNames([names.Build()]));
        Assert.False(CertificateNames.HasOtherAlternativeNames(request.CertificateExtensions));
    }

    [Fact]
    public void Constructor_KeyOfAnotherCertificate_IsRefused()
    {
        using var ca = CertificateAuthority.Create("a", TimeProvider.System);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.Throws<ArgumentException>(() => new CertificateAuthority(ca.Certificate, other));

        Assert.Contains("does not belong", error.Message, StringComparison.Ordinal);
    }
}
