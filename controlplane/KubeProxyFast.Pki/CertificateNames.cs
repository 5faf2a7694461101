using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace KubeProxyFast.Pki;

/// <summary>
/// The names a certificate or request carries, read as Kubernetes reads them: the subject's CN
/// (the user) and O values (the groups), and the DNS and IP subject alternative names.
/// </summary>
public static class CertificateNames
{
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";
    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>The subject's first CN, or null.</summary>
    public static string? CommonName(X500DistinguishedName subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        foreach (var rdn in subject.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CommonNameOid)
            {
                return rdn.GetSingleElementValue();
            }
        }

        return null;
    }

    /// <summary>The subject's O values, in order.</summary>
    public static IReadOnlyList<string> Organizations(X500DistinguishedName subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var organizations = new List<string>();
        foreach (var rdn in subject.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == OrganizationOid && rdn.GetSingleElementValue() is { } value)
            {
                organizations.Add(value);
            }
        }

        return organizations;
    }

    /// <summary>The DNS and IP subject alternative names among <paramref name="extensions"/> (a certificate's or a request's).</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The extension is malformed.</exception>
    public static (IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> IpAddresses) AlternativeNames(IEnumerable<X509Extension> extensions)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        var dns = new List<string>();
        var ips = new List<IPAddress>();
        foreach (var extension in extensions)
        {
            if (extension.Oid?.Value != SubjectAltNameOid)
            {
                continue;
            }

            var san = extension as X509SubjectAlternativeNameExtension ?? new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
            dns.AddRange(san.EnumerateDnsNames());
            ips.AddRange(san.EnumerateIPAddresses());
        }

        return (dns, ips);
    }

    /// <summary>True when <paramref name="extensions"/> name anything but DNS names and IP addresses (URIs, e-mail addresses, other names).</summary>
    public static bool HasOtherAlternativeNames(IEnumerable<X509Extension> extensions)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        foreach (var extension in extensions)
        {
            if (extension.Oid?.Value != SubjectAltNameOid)
            {
                continue;
            }

            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (reader.HasData)
            {
                var tag = reader.PeekTag();
                // GeneralName: [2] dNSName, [7] iPAddress; anything else is not ours to sign.
                if (tag.TagClass != TagClass.ContextSpecific || (tag.TagValue != 2 && tag.TagValue != 7))
                {
                    return true;
                }

                reader.ReadEncodedValue();
            }
        }

        return false;
    }
}
