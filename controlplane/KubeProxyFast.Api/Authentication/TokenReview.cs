using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Authentication;

/// <summary>
/// authentication.k8s.io/v1 TokenReview: asks the apiserver who a bearer token belongs to (a
/// kubelet in webhook mode checks its callers' tokens this way). Created only, never stored.
/// </summary>
public sealed class TokenReview : KubeObject
{
    /// <summary>The token to check.</summary>
    public TokenReviewSpec Spec { get; set; } = new();

    /// <summary>The answer, filled by the server.</summary>
    public TokenReviewStatus? Status { get; set; }
}

/// <summary>authentication.k8s.io/v1 TokenReviewSpec.</summary>
public sealed class TokenReviewSpec : Extensible
{
    /// <summary>The opaque bearer token.</summary>
    public string? Token { get; set; }

    /// <summary>The audiences the caller accepts; empty for the apiserver's own.</summary>
    public List<string>? Audiences { get; set; }
}

/// <summary>authentication.k8s.io/v1 TokenReviewStatus: who the token names, or why it names nobody.</summary>
public sealed class TokenReviewStatus : Extensible
{
    /// <summary>True when the token is valid.</summary>
    public bool? Authenticated { get; set; }

    /// <summary>The token's user, when authenticated.</summary>
    public UserInfo? User { get; set; }

    /// <summary>The audiences the token is valid for.</summary>
    public List<string>? Audiences { get; set; }

    /// <summary>Why the token could not be checked or is not valid.</summary>
    public string? Error { get; set; }
}
