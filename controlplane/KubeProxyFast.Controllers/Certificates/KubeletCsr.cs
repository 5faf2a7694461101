using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Controllers.Certificates;

/// <summary>
/// The shape rules of Kubernetes' well-known signers (<c>ValidateKubeletClientCSR</c>,
/// <c>ValidateKubeletServingCSR</c>, the kube-apiserver-client usages), shared by the approver
/// (which approves only what fits) and the signer (which fails what does not). Each returns why a
/// request does not fit, in Kubernetes' words, or null.
/// </summary>
internal static class KubeletCsr
{
    /// <summary>The one organization of a kubelet's certificates.</summary>
    public const string NodesOrganization = UserNames.SystemNodes;

    /// <summary>The common-name prefix of a kubelet's certificates.</summary>
    public const string NodePrefix = UserNames.NodePrefix;

    private static readonly string[] ClientUsages = [KeyUsages.DigitalSignature, KeyUsages.KeyEncipherment, KeyUsages.ClientAuth];
    private static readonly string[] ClientUsagesNoRsa = [KeyUsages.DigitalSignature, KeyUsages.ClientAuth];
    private static readonly string[] ServingUsages = [KeyUsages.DigitalSignature, KeyUsages.KeyEncipherment, KeyUsages.ServerAuth];
    private static readonly string[] ServingUsagesNoRsa = [KeyUsages.DigitalSignature, KeyUsages.ServerAuth];

    /// <summary>Why the request is not a kubelet client certificate's: O exactly [system:nodes], no SANs, CN system:node:&lt;name&gt;, the client usages.</summary>
    public static string? ClientError(CertificateRequest request, IReadOnlyList<string> usages)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsNodesOnly(request))
        {
            return "subject organization is not system:nodes";
        }

        var (dns, ips) = CertificateNames.AlternativeNames(request.CertificateExtensions);
        if (dns.Count > 0)
        {
            return "DNS subjectAltNames are not allowed";
        }

        if (ips.Count > 0)
        {
            return "IP subjectAltNames are not allowed";
        }

        if (CertificateNames.HasOtherAlternativeNames(request.CertificateExtensions))
        {
            return "Email and URI subjectAltNames are not allowed";
        }

        if (NodeName(request) is null)
        {
            return "subject common name does not begin with system:node:";
        }

        return SameSet(usages, ClientUsages) || SameSet(usages, ClientUsagesNoRsa) ? null : "usages did not match " + Set(ClientUsages);
    }

    /// <summary>Why the request is not a kubelet serving certificate's: O exactly [system:nodes], DNS or IP SANs only (at least one), the serving usages, CN system:node:&lt;name&gt;.</summary>
    public static string? ServingError(CertificateRequest request, IReadOnlyList<string> usages)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsNodesOnly(request))
        {
            return "subject organization is not system:nodes";
        }

        var (dns, ips) = CertificateNames.AlternativeNames(request.CertificateExtensions);
        if (dns.Count == 0 && ips.Count == 0)
        {
            return "DNS or IP subjectAltName is required";
        }

        if (CertificateNames.HasOtherAlternativeNames(request.CertificateExtensions))
        {
            return "Email and URI subjectAltNames are not allowed";
        }

        if (!SameSet(usages, ServingUsages) && !SameSet(usages, ServingUsagesNoRsa))
        {
            return "usages did not match " + Set(ServingUsages);
        }

        return NodeName(request) is null ? "subject common name does not begin with system:node:" : null;
    }

    /// <summary>Why the usages do not fit kubernetes.io/kube-apiserver-client: only digital signature, key encipherment and client auth, with client auth.</summary>
    public static string? ApiServerClientError(IReadOnlyList<string> usages)
    {
        ArgumentNullException.ThrowIfNull(usages);
        foreach (var usage in usages)
        {
            if (usage is not (KeyUsages.DigitalSignature or KeyUsages.KeyEncipherment or KeyUsages.ClientAuth))
            {
                return "invalid usage for client certificate: " + usage;
            }
        }

        return usages.Contains(KeyUsages.ClientAuth) ? null : "missing required usage for client certificate: " + KeyUsages.ClientAuth;
    }

    /// <summary>The node the request's CN names (<c>system:node:n1</c> → <c>n1</c>), or null.</summary>
    public static string? NodeName(CertificateRequest request)
    {
        var cn = CertificateNames.CommonName(request.SubjectName);
        return cn is not null && cn.StartsWith(NodePrefix, StringComparison.Ordinal) && cn.Length > NodePrefix.Length ? cn[NodePrefix.Length..] : null;
    }

    /// <summary>True when every SAN of a serving request is one of <paramref name="node"/>'s addresses: IPs any of them, DNS names its Hostname or InternalDNS ones.</summary>
    public static bool NamesAreNodeAddresses(CertificateRequest request, Node node)
    {
        var addresses = node.Status?.Addresses ?? [];
        var (dns, ips) = CertificateNames.AlternativeNames(request.CertificateExtensions);
        foreach (var ip in ips)
        {
            if (!addresses.Exists(a => System.Net.IPAddress.TryParse(a.Address, out var known) && known.Equals(ip)))
            {
                return false;
            }
        }

        foreach (var name in dns)
        {
            if (!addresses.Exists(a => a.Type is NodeAddressTypes.Hostname or NodeAddressTypes.InternalDNS && string.Equals(a.Address, name, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNodesOnly(CertificateRequest request) =>
        CertificateNames.Organizations(request.SubjectName) is [NodesOrganization];

    private static bool SameSet(IReadOnlyList<string> usages, string[] expected) =>
        usages.Distinct(StringComparer.Ordinal).Count() == expected.Length && expected.All(usages.Contains);

    private static string Set(string[] usages) => "[" + string.Join(" ", usages.Order(StringComparer.Ordinal)) + "]";
}
