using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Authorization;

/// <summary>
/// authorization.k8s.io/v1 SubjectAccessReview: asks whether a user (with groups, uid and extra)
/// may perform an action, in any namespace. Created only, never stored: the answer is the status.
/// </summary>
public sealed class SubjectAccessReview : KubeObject
{
    /// <summary>Whom and what to check.</summary>
    public SubjectAccessReviewSpec Spec { get; set; } = new();

    /// <summary>The answer, filled by the server.</summary>
    public SubjectAccessReviewStatus? Status { get; set; }
}

/// <summary>
/// authorization.k8s.io/v1 SubjectAccessReviewSpec: exactly one of <see cref="ResourceAttributes"/>
/// and <see cref="NonResourceAttributes"/>, and the user (or groups) to check them for.
/// </summary>
public sealed class SubjectAccessReviewSpec : Extensible
{
    /// <summary>The action on a resource.</summary>
    public ResourceAttributes? ResourceAttributes { get; set; }

    /// <summary>The action on a non-resource path.</summary>
    public NonResourceAttributes? NonResourceAttributes { get; set; }

    /// <summary>The user to check; with or instead of <see cref="Groups"/>.</summary>
    public string? User { get; set; }

    /// <summary>The user's groups.</summary>
    public List<string>? Groups { get; set; }

    /// <summary>The user's extra attributes, as an authenticator would attach them.</summary>
    public Dictionary<string, List<string>>? Extra { get; set; }

    /// <summary>The user's uid.</summary>
    public string? Uid { get; set; }
}

/// <summary>authorization.k8s.io/v1 SubjectAccessReviewStatus: the authorizers' verdict.</summary>
public sealed class SubjectAccessReviewStatus : Extensible
{
    /// <summary>True when the action is allowed (always written, as Kubernetes' non-omitempty field).</summary>
    public bool Allowed { get; set; }

    /// <summary>True when an authorizer denied it outright (not merely "no opinion"); never with <see cref="Allowed"/>.</summary>
    public bool? Denied { get; set; }

    /// <summary>Why, when an authorizer said.</summary>
    public string? Reason { get; set; }

    /// <summary>An error while judging; the verdict may still hold.</summary>
    public string? EvaluationError { get; set; }
}
