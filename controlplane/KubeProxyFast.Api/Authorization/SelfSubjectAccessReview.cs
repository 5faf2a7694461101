using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Authorization;

/// <summary>
/// authorization.k8s.io/v1 SelfSubjectAccessReview: whether the requester may perform an action
/// (<c>kubectl auth can-i</c>). Every authenticated user may ask it about themselves.
/// </summary>
public sealed class SelfSubjectAccessReview : KubeObject
{
    /// <summary>What to check.</summary>
    public SelfSubjectAccessReviewSpec Spec { get; set; } = new();

    /// <summary>The answer, filled by the server.</summary>
    public SubjectAccessReviewStatus? Status { get; set; }
}

/// <summary>authorization.k8s.io/v1 SelfSubjectAccessReviewSpec: exactly one of the two attribute sets.</summary>
public sealed class SelfSubjectAccessReviewSpec : Extensible
{
    /// <summary>The action on a resource.</summary>
    public ResourceAttributes? ResourceAttributes { get; set; }

    /// <summary>The action on a non-resource path.</summary>
    public NonResourceAttributes? NonResourceAttributes { get; set; }
}
