namespace KubeProxyFast.ApiServer.Authorization;

/// <summary>
/// One authorization mode (Node, RBAC), as a Kubernetes authorizer: it allows, denies, or has no
/// opinion and leaves the decision to the next mode (<see cref="AuthorizerChain"/>).
/// </summary>
public interface IAuthorizer
{
    /// <summary>The decision on <paramref name="attributes"/>; never throws for a request it cannot judge (no opinion).</summary>
    ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken);
}

/// <summary>An authorizer's verdict.</summary>
public enum Decision
{
    /// <summary>Not this authorizer's to decide: the next one is asked.</summary>
    NoOpinion,

    /// <summary>Allowed.</summary>
    Allow,

    /// <summary>Refused, whatever later authorizers would say.</summary>
    Deny,
}

/// <summary>A decision and, when refused or unjudged, the reason (appended to the 403 message as Kubernetes does).</summary>
public readonly record struct AuthorizationDecision(Decision Decision, string Reason)
{
    /// <summary>Allowed.</summary>
    public static AuthorizationDecision Allowed(string reason = "") => new(Decision.Allow, reason);

    /// <summary>Refused.</summary>
    public static AuthorizationDecision Denied(string reason) => new(Decision.Deny, reason);

    /// <summary>No opinion.</summary>
    public static AuthorizationDecision NoOpinion(string reason = "") => new(Decision.NoOpinion, reason);
}
