using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeProxyFast.Pki;

/// <summary>PKCS#10 certificate signing requests, as a CertificateSigningRequest's <c>spec.request</c> carries them.</summary>
public static class SigningRequests
{
    /// <summary>
    /// Parses a PEM <c>CERTIFICATE REQUEST</c>, checking its signature (the requester holds the
    /// key), with its requested extensions loaded — .NET leaves them out unless asked, and the
    /// subject alternative names are among them. What of them is signed is the signer's decision
    /// (<c>CertificateAuthority.Sign</c> copies only DNS and IP names).
    /// </summary>
    /// <exception cref="CryptographicException">Not a PEM certificate request, or its signature does not verify.</exception>
    /// <exception cref="ArgumentException">No PEM block of that label.</exception>
    public static CertificateRequest Parse(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
    }

    /// <summary>A new request for <paramref name="subject"/> with <paramref name="key"/>, naming <paramref name="extensions"/> (e.g. subject alternative names), as PEM.</summary>
    public static string Create(X500DistinguishedName subject, ECDsa key, params IEnumerable<X509Extension> extensions)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(key);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        foreach (var extension in extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        return request.CreateSigningRequestPem();
    }
}
