using KubeProxyFast.Api.Certificates;

namespace KubeProxyFast.Controllers.Certificates;

/// <summary>Reads a request's conditions as Kubernetes' certificate helpers do.</summary>
internal static class CsrConditions
{
    /// <summary>True when approved and not denied (a denial wins).</summary>
    public static bool IsApproved(CertificateSigningRequest csr) => Has(csr, CsrConditionTypes.Approved) && !Has(csr, CsrConditionTypes.Denied);

    /// <summary>True when either decision was made.</summary>
    public static bool IsApprovedOrDenied(CertificateSigningRequest csr) => Has(csr, CsrConditionTypes.Approved) || Has(csr, CsrConditionTypes.Denied);

    /// <summary>True when a condition of <paramref name="type"/> is present (Approved, Denied and Failed may only be True).</summary>
    public static bool Has(CertificateSigningRequest csr, string type) => csr.Status?.Conditions?.Exists(c => c.Type == type) == true;

    /// <summary>The condition of <paramref name="type"/>, or null.</summary>
    public static CertificateSigningRequestCondition? Find(CertificateSigningRequest csr, string type) => csr.Status?.Conditions?.Find(c => c.Type == type);
}
