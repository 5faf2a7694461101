using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Kubelet.Bootstrap;

/// <summary>
/// Asks the cluster for one of the node's certificates, as the kubelet's certificate manager does:
/// a new P-256 key made here (it never leaves the node), a PKCS#10 request for
/// <c>CN=system:node:&lt;name&gt;, O=system:nodes</c> (and, for serving, the node's name and
/// addresses as SANs), a CertificateSigningRequest, then the key and the issued certificate
/// written — the key first, so a certificate on disk always has its key beside it.
/// </summary>
internal static class NodeCertificateRequest
{
    /// <summary>The user name of node <paramref name="nodeName"/>.</summary>
    public static string UserOf(string nodeName) => "system:node:" + nodeName;

    /// <summary>
    /// Requests <paramref name="kind"/> for <paramref name="nodeName"/> through <paramref name="client"/>, waits up to
    /// <paramref name="timeout"/> for it to be signed, writes key and certificate and returns the certificate with its key.
    /// </summary>
    /// <exception cref="NodeBootstrapException">Refused, denied, not signed in time, or not a certificate for the key sent.</exception>
    public static async Task<X509Certificate2> RequestAsync(
        CertificateSigningRequestClient client, NodeCertificateKind kind, string nodeName, IReadOnlyList<IPAddress> addresses,
        TimeSpan timeout, TimeSpan pollInterval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(CertificateAuthority.Subject(UserOf(nodeName), ["system:nodes"]), key, HashAlgorithmName.SHA256);
        if (kind.Serving)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(nodeName);
            foreach (var address in addresses)
            {
                names.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        var name = "node-csr-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await client.CreateAsync(name, request.CreateSigningRequestPem(), kind.SignerName, kind.Usages, cancellationToken).ConfigureAwait(false);
        var pem = await client.WaitForCertificateAsync(name, timeout, pollInterval, time, cancellationToken).ConfigureAwait(false);
        X509Certificate2 issued;
        try
        {
            issued = PemFiles.ParseCertificates(pem)[0];
        }
        catch (CryptographicException e)
        {
            throw new NodeBootstrapException($"CertificateSigningRequest {name} holds no PEM certificate: {e.Message}", e);
        }

        using (issued)
        {
            using var issuedKey = issued.GetECDsaPublicKey();
            if (issuedKey is null || !issuedKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                throw new NodeBootstrapException($"CertificateSigningRequest {name} was signed for another key than the one requested");
            }

            PemFiles.WriteOwnerOnly(kind.KeyPath, PemFiles.EncodeKey(key));
            PemFiles.WriteOwnerOnly(kind.CertificatePath, pem);
            return issued.CopyWithPrivateKey(key);
        }
    }

    /// <summary>The certificate kept for <paramref name="kind"/>, with its key, or null when missing, unreadable or not for <paramref name="nodeName"/>.</summary>
    public static X509Certificate2? TryRead(NodeCertificateKind kind, string nodeName)
    {
        if (!File.Exists(kind.CertificatePath) || !File.Exists(kind.KeyPath))
        {
            return null;
        }

        try
        {
            var certificate = PemFiles.ReadCertificateWithKey(kind.CertificatePath, kind.KeyPath);
            if (CertificateNames.CommonName(certificate.SubjectName) == UserOf(nodeName))
            {
                return certificate;
            }

            certificate.Dispose();
            return null;
        }
        catch (CryptographicException)
        {
            // Half-written by a crash between key and certificate, or corrupted: ask for a new one.
            return null;
        }
    }

    /// <summary>True when <paramref name="certificate"/> may be used now (within its validity).</summary>
    public static bool IsValid(X509Certificate2 certificate, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return now >= certificate.NotBefore.ToUniversalTime() && now < certificate.NotAfter.ToUniversalTime();
    }
}
