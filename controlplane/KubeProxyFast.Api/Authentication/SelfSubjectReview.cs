using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Authentication;

/// <summary>
/// authentication.k8s.io/v1 SelfSubjectReview: who the apiserver takes the requester for
/// (<c>kubectl auth whoami</c>). Created only, never stored; the body carries nothing but metadata.
/// </summary>
public sealed class SelfSubjectReview : KubeObject
{
    /// <summary>The requester, filled by the server.</summary>
    public SelfSubjectReviewStatus? Status { get; set; }
}

/// <summary>authentication.k8s.io/v1 SelfSubjectReviewStatus.</summary>
public sealed class SelfSubjectReviewStatus : Extensible
{
    /// <summary>The requester's user.</summary>
    public UserInfo? UserInfo { get; set; }
}
