using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Authorization;

/// <summary>
/// authorization.k8s.io/v1 LocalSubjectAccessReview: a <see cref="SubjectAccessReview"/> within one
/// namespace (created under it; the spec's resource attributes must name the same namespace), so a
/// namespace's administrator may be allowed to ask it.
/// </summary>
public sealed class LocalSubjectAccessReview : KubeObject
{
    /// <summary>Whom and what to check; only resource attributes, in the path's namespace.</summary>
    public SubjectAccessReviewSpec Spec { get; set; } = new();

    /// <summary>The answer, filled by the server.</summary>
    public SubjectAccessReviewStatus? Status { get; set; }
}
