using KubeProxyFast.Api.Certificates;

namespace KubeProxyFast.Controllers.Certificates;

/// <summary>
/// Whether a request's requester may have it auto-approved. Kubernetes asks the apiserver with a
/// SubjectAccessReview whether the requester may <c>create certificatesigningrequests/nodeclient</c>
/// (granted by default to <c>system:bootstrappers</c>) or <c>…/selfnodeclient</c> (to <c>system:nodes</c>).
/// Until SubjectAccessReview is served, the same default grants are checked on the groups the
/// apiserver recorded in the request (never the body's: the server sets them from the caller).
/// </summary>
internal static class RequesterPermissions
{
    /// <summary>A bootstrapper's first node client certificate.</summary>
    public const string NodeClient = "nodeclient";

    /// <summary>A node renewing its own client certificate.</summary>
    public const string SelfNodeClient = "selfnodeclient";

    /// <summary>A node's own serving certificate (ours: Kubernetes approves none).</summary>
    public const string SelfNodeServing = "selfnodeserving";

    /// <summary>True when the requester of <paramref name="csr"/> holds the default grant of <paramref name="subresource"/>.</summary>
    public static bool May(CertificateSigningRequest csr, string subresource)
    {
        var groups = csr.Spec?.Groups ?? [];
        return subresource switch
        {
            NodeClient => groups.Contains(UserNames.SystemBootstrappers),
            SelfNodeClient or SelfNodeServing => groups.Contains(UserNames.SystemNodes),
            _ => false,
        };
    }
}
