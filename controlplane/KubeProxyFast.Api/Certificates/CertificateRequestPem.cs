using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Api.Certificates;

/// <summary>
/// Reads <c>spec.request</c>: the first PEM block must be a <c>CERTIFICATE REQUEST</c> whose
/// signature verifies with its own public key (proof that the requester holds the private key),
/// as Kubernetes' <c>ParseCSR</c> and <c>CheckSignature</c>.
/// </summary>
public static class CertificateRequestPem
{
    /// <summary>The PEM label Kubernetes requires.</summary>
    public const string Label = "CERTIFICATE REQUEST";

    /// <summary>
    /// The request with its extensions loaded (subject alternative names included), so that
    /// approvers and signers can judge them; its signature is verified.
    /// </summary>
    /// <exception cref="FormatException">Not a PEM certificate request, or its signature does not verify; the message says which.</exception>
    public static CertificateRequest Parse(ReadOnlySpan<byte> pem)
    {
        var text = Encoding.UTF8.GetString(pem);
        if (!PemEncoding.TryFind(text, out var fields) || text[fields.Label] != Label)
        {
            throw new FormatException("PEM block type must be CERTIFICATE REQUEST");
        }

        try
        {
            return SigningRequests.Parse(text);
        }
        catch (CryptographicException e)
        {
            throw new FormatException(e.Message, e);
        }
    }
}
