using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Certificates;

/// <summary>
/// certificates.k8s.io/v1 CertificateSigningRequest: a PKCS#10 request for an X.509 certificate from
/// a named signer, approved or denied through <c>/approval</c> and issued through <c>/status</c>.
/// Kubelets get their client certificates this way (TLS bootstrapping).
/// </summary>
public sealed class CertificateSigningRequest : KubeObject
{
    /// <summary>The request; immutable after create. The requester fields are set by the server from the caller.</summary>
    public CertificateSigningRequestSpec? Spec { get; set; }

    /// <summary>Approval conditions (through <c>/approval</c>) and the issued certificate (through <c>/status</c>).</summary>
    public CertificateSigningRequestStatus? Status { get; set; }
}

/// <summary>certificates.k8s.io/v1 CertificateSigningRequestList.</summary>
public sealed class CertificateSigningRequestList : KubeList<CertificateSigningRequest>;

/// <summary>
/// certificates.k8s.io/v1 CertificateSigningRequestSpec. The requester's <c>extra</c> attributes
/// are kept as Kubernetes' own JSON field (<see cref="Extensible.UnknownFields"/>, set by the server):
/// their protobuf form (a map of <c>ExtraValue</c> messages) has no JSON equivalent our transcoder carries.
/// </summary>
public sealed class CertificateSigningRequestSpec : Extensible
{
    /// <summary>The PEM <c>CERTIFICATE REQUEST</c> block; base64 in JSON.</summary>
    public byte[]? Request { get; set; }

    /// <summary>The signer asked to issue it, a qualified name (<see cref="SignerNames"/>).</summary>
    public string? SignerName { get; set; }

    /// <summary>The validity asked for, at least 600 seconds; the signer may issue a shorter one.</summary>
    public int? ExpirationSeconds { get; set; }

    /// <summary>Key usages asked for (<see cref="KeyUsages"/>).</summary>
    public List<string>? Usages { get; set; }

    /// <summary>The requesting user; set by the server on create.</summary>
    public string? Username { get; set; }

    /// <summary>The requesting user's uid; set by the server on create.</summary>
    public string? Uid { get; set; }

    /// <summary>The requesting user's groups; set by the server on create.</summary>
    public List<string>? Groups { get; set; }
}

/// <summary>certificates.k8s.io/v1 CertificateSigningRequestStatus.</summary>
public sealed class CertificateSigningRequestStatus : Extensible
{
    /// <summary>Approved, Denied and Failed conditions, at most one of each type.</summary>
    public List<CertificateSigningRequestCondition>? Conditions { get; set; }

    /// <summary>The issued certificate, PEM (first the leaf, then any intermediates); base64 in JSON; immutable once set.</summary>
    public byte[]? Certificate { get; set; }
}

/// <summary>certificates.k8s.io/v1 CertificateSigningRequestCondition.</summary>
public sealed class CertificateSigningRequestCondition : Extensible
{
    /// <summary><see cref="CsrConditionTypes"/>.</summary>
    public string? Type { get; set; }

    /// <summary>True, False or Unknown; Approved, Denied and Failed may only be True.</summary>
    public string? Status { get; set; }

    /// <summary>A one-word reason (<c>AutoApproved</c>, <c>KubectlApprove</c>).</summary>
    public string? Reason { get; set; }

    /// <summary>A sentence for people.</summary>
    public string? Message { get; set; }

    /// <summary>When the condition was last written.</summary>
    public DateTimeOffset? LastUpdateTime { get; set; }

    /// <summary>When its status last changed; the server sets it when a writer leaves it out.</summary>
    public DateTimeOffset? LastTransitionTime { get; set; }
}
