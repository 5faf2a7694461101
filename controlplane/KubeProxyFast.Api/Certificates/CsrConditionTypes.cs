namespace KubeProxyFast.Api.Certificates;

/// <summary>The condition types of a CertificateSigningRequest, as Kubernetes'.</summary>
public static class CsrConditionTypes
{
    /// <summary>Approved through <c>/approval</c>: the signer may issue it.</summary>
    public const string Approved = "Approved";

    /// <summary>Denied through <c>/approval</c>: it is never issued.</summary>
    public const string Denied = "Denied";

    /// <summary>Set by the signer through <c>/status</c> when it cannot issue the certificate.</summary>
    public const string Failed = "Failed";
}
