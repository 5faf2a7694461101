using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Authorization;

namespace KubeProxyFast.Kubelet.Tests.Bootstrap;

/// <summary>
/// What Kubernetes' default policy grants for TLS bootstrapping (system:node-bootstrapper to
/// system:bootstrappers; CSR create/get to nodes), as a fixed authorizer until RBAC's default policy serves it.
/// </summary>
internal sealed class CsrTestGrants : IAuthorizer
{
    public ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken)
    {
        var groups = attributes.User.Groups;
        var mayRequest = groups.Contains("system:bootstrappers") || groups.Contains(UserInfo.SystemNodes);
        var allowed = mayRequest && attributes.IsResourceRequest && attributes.ApiGroup == "certificates.k8s.io"
            && attributes.Resource == "certificatesigningrequests" && attributes.Subresource is null or ""
            && attributes.Verb is "create" or "get" or "list" or "watch";
        return ValueTask.FromResult(allowed ? AuthorizationDecision.Allowed() : AuthorizationDecision.NoOpinion());
    }
}
