using KubeProxyFast.ApiServer.Authentication;

namespace KubeProxyFast.ApiServer.Authorization;

/// <summary>
/// Kubernetes' union authorizer behind its privileged-group bypass: <c>system:masters</c> may do
/// anything; otherwise each mode in order (Node, then RBAC) may allow or deny, and a request no
/// mode allows is refused.
/// </summary>
public sealed class AuthorizerChain : IAuthorizer
{
    private readonly IReadOnlyList<IAuthorizer> _authorizers;

    /// <summary>The chain of <paramref name="authorizers"/>, asked in order.</summary>
    public AuthorizerChain(IReadOnlyList<IAuthorizer> authorizers) => _authorizers = authorizers;

    /// <inheritdoc/>
    public async ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.User.InGroup(UserInfo.SystemMasters))
        {
            return AuthorizationDecision.Allowed();
        }

        var reasons = new List<string>();
        foreach (var authorizer in _authorizers)
        {
            var decision = await authorizer.AuthorizeAsync(attributes, cancellationToken).ConfigureAwait(false);
            if (decision.Decision != Decision.NoOpinion)
            {
                return decision;
            }

            if (decision.Reason.Length > 0)
            {
                reasons.Add(decision.Reason);
            }
        }

        return AuthorizationDecision.NoOpinion(string.Join(", ", reasons));
    }
}
