namespace KubeProxyFast.Kubelet.Server;

/// <summary>Decides whether a caller may do what a request to the kubelet's API asks (<c>--authorization-mode</c>).</summary>
internal interface IKubeletAuthorizer
{
    /// <summary>Whether <paramref name="user"/> may do <paramref name="attributes"/>: allowed when any of its subresources is.</summary>
    ValueTask<KubeletAuthorization> AuthorizeAsync(KubeletUser user, NodeRequestAttributes attributes, CancellationToken cancellationToken);
}

/// <summary>An authorizer's answer; <see cref="FailedSubresource"/> names the review that could not be made (a 500).</summary>
internal readonly record struct KubeletAuthorization(bool IsAllowed, string? FailedSubresource)
{
    public static KubeletAuthorization Allowed => new(true, null);

    public static KubeletAuthorization Denied => new(false, null);

    public static KubeletAuthorization Error(string subresource) => new(false, subresource);
}
