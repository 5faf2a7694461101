using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeProxyFast.Pki;

/// <summary>
/// A certificate authority with its key: it issues leaf certificates (keys made here, ECDSA P-256)
/// and signs certificate signing requests (keys kept by their owners). Certificates are X.509 v3
/// with the extensions Go's and OpenSSL's verifiers check: basic constraints, key usage, extended
/// key usage, subject and authority key identifiers, and the subject alternative names.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    /// <summary>How long a new CA is valid: ten years, as Kubernetes' and k3s's.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(3650);

    // Certificates start a little in the past, so a peer whose clock is slightly behind accepts them.
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    private readonly ECDsa _key;

    /// <summary>The CA over <paramref name="certificate"/> and its private key.</summary>
    /// <exception cref="ArgumentException">The certificate is not a CA, or the key is not an ECDSA key matching it.</exception>
    public CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(key);
        if (certificate.Extensions[Oids.BasicConstraints] is not X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            throw new ArgumentException($"certificate {certificate.Subject} is not a certificate authority (no basic constraints with CA:TRUE)", nameof(certificate));
        }

        using var publicKey = certificate.GetECDsaPublicKey()
            ?? throw new ArgumentException($"certificate {certificate.Subject} has no ECDSA key; this CA signs with ECDSA P-256", nameof(certificate));
        if (!publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            throw new ArgumentException($"the private key does not belong to certificate {certificate.Subject}", nameof(key));
        }

        Certificate = certificate;
        _key = key;
    }

    /// <summary>The CA's certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA's private key (to store it).</summary>
    public ECDsa Key => _key;

    /// <summary>A new self-signed CA named <paramref name="commonName"/> with a new P-256 key.</summary>
    public static CertificateAuthority Create(string commonName, TimeProvider time, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(commonName);
        ArgumentNullException.ThrowIfNull(time);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        var request = new CertificateRequest(builder.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        var ski = new X509SubjectKeyIdentifierExtension(request.PublicKey, false);
        request.CertificateExtensions.Add(ski);
        var now = time.GetUtcNow();
        using var selfSigned = request.CreateSelfSigned(now - Backdate, now + (lifetime ?? DefaultLifetime));
        // The public part only: the key stays in _key (an X509Certificate2 with a private key would carry it wherever it goes).
        var certificate = X509CertificateLoader.LoadCertificate(selfSigned.RawData);
        return new CertificateAuthority(certificate, key);
    }

    /// <summary>A new leaf certificate for <paramref name="spec"/>, with its new P-256 private key attached.</summary>
    public X509Certificate2 Issue(LeafSpec spec, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(time);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject(spec.CommonName, spec.Organizations), key, HashAlgorithmName.SHA256);
        using var certificate = Sign(request.SubjectName, request.PublicKey, spec.Usage, spec.DnsNames, spec.IpAddresses, spec.Lifetime, time);
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Signs a request's subject and public key as a certificate of <paramref name="usage"/>, with
    /// the DNS and IP alternative names it asked for, valid <paramref name="lifetime"/>. The
    /// request's other extensions are not copied: what a certificate may do is the signer's choice.
    /// Whether the subject and names may be signed at all is the caller's decision (the approver's).
    /// Parse the request with <see cref="SigningRequests.Parse"/>: .NET's default load drops the
    /// requested extensions, and with them the names.
    /// </summary>
    public X509Certificate2 Sign(CertificateRequest request, CertificateUsage usage, TimeSpan lifetime, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (dns, ips) = CertificateNames.AlternativeNames(request.CertificateExtensions);
        return Sign(request.SubjectName, request.PublicKey, usage, dns, ips, lifetime, time);
    }

    /// <summary>The subject <c>CN=<paramref name="commonName"/>, O=…</c>.</summary>
    public static X500DistinguishedName Subject(string commonName, IReadOnlyList<string> organizations)
    {
        ArgumentException.ThrowIfNullOrEmpty(commonName);
        ArgumentNullException.ThrowIfNull(organizations);
        var builder = new X500DistinguishedNameBuilder();
        foreach (var organization in organizations)
        {
            builder.AddOrganizationName(organization);
        }

        builder.AddCommonName(commonName);
        return builder.Build();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    private X509Certificate2 Sign(
        X500DistinguishedName subject, PublicKey publicKey, CertificateUsage usage, IReadOnlyList<string> dnsNames,
        IReadOnlyList<System.Net.IPAddress> ipAddresses, TimeSpan lifetime, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var request = new CertificateRequest(subject, publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        // ECDSA keys sign (TLS 1.3 and ECDHE); key encipherment is for RSA key transport only.
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var purposes = new OidCollection();
        if (usage.HasFlag(CertificateUsage.Server))
        {
            purposes.Add(new Oid(Oids.ServerAuth));
        }

        if (usage.HasFlag(CertificateUsage.Client))
        {
            purposes.Add(new Oid(Oids.ClientAuth));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(purposes, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (dnsNames.Count > 0 || ipAddresses.Count > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var dns in dnsNames)
            {
                names.AddDnsName(dns);
            }

            foreach (var ip in ipAddresses)
            {
                names.AddIpAddress(ip);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        var now = time.GetUtcNow();
        var notAfter = now + lifetime;
        // A leaf never outlives its CA (verifiers would refuse the chain past the CA's end).
        if (notAfter > Certificate.NotAfter.ToUniversalTime())
        {
            notAfter = Certificate.NotAfter.ToUniversalTime();
        }

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now - Backdate, notAfter, serial);
    }

    private static class Oids
    {
        public const string BasicConstraints = "2.5.29.19";
        public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
        public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    }
}
