namespace KubeProxyFast.Kubelet.Server;

/// <summary><c>--authorization-mode=AlwaysAllow</c>: every authenticated caller may do anything.</summary>
internal sealed class AlwaysAllowAuthorizer : IKubeletAuthorizer
{
    public ValueTask<KubeletAuthorization> AuthorizeAsync(KubeletUser user, NodeRequestAttributes attributes, CancellationToken cancellationToken) =>
        ValueTask.FromResult(KubeletAuthorization.Allowed);
}
