using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Controllers.Certificates;

public sealed partial class CsrApprovingController
{
    /// <summary>
    /// The approval message for <paramref name="csr"/>, or null to leave it pending. As Kubernetes'
    /// recognizers, in order: a node renewing its own client certificate (<c>selfnodeclient</c>),
    /// a bootstrapper asking for a node client certificate (<c>nodeclient</c>); then ours, a node's
    /// own serving certificate for its own addresses.
    /// </summary>
    private string? Recognize(CertificateSigningRequest csr, CertificateRequest request)
    {
        var spec = csr.Spec!;
        var usages = (IReadOnlyList<string>?)spec.Usages ?? [];
        var cn = CertificateNames.CommonName(request.SubjectName);
        if (spec.SignerName == SignerNames.KubeApiServerClientKubelet && KubeletCsr.ClientError(request, usages) is null)
        {
            if (spec.Username == cn && RequesterPermissions.May(csr, RequesterPermissions.SelfNodeClient))
            {
                return "Auto approving self kubelet client certificate after checking the requester's groups.";
            }

            if (RequesterPermissions.May(csr, RequesterPermissions.NodeClient))
            {
                return "Auto approving kubelet client certificate after checking the requester's groups.";
            }
        }

        if (spec.SignerName == SignerNames.KubeletServing && KubeletCsr.ServingError(request, usages) is null
            && spec.Username == cn && RequesterPermissions.May(csr, RequesterPermissions.SelfNodeServing)
            && KubeletCsr.NodeName(request) is { } nodeName && _nodes.Lister.Get(null, nodeName) is { } node
            && KubeletCsr.NamesAreNodeAddresses(request, node))
        {
            return "Auto approving kubelet serving certificate: every name is one of the node's addresses.";
        }

        return null;
    }
}
