using KubeProxyFast.Api.Authentication;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;

namespace KubeProxyFast.ApiServer.Reviews;

/// <summary>
/// TokenReview: who the spec's bearer token names, by the same token authenticators that judge
/// <c>Authorization: Bearer</c> headers (a kubelet in webhook mode asks this of its callers'
/// tokens). A token nobody accepts is <c>authenticated</c> false with Kubernetes' <c>invalid bearer
/// token</c> in <c>error</c>, never an HTTP error; an authenticated user also gets
/// <c>system:authenticated</c>, as the request chain adds it. Tokens here carry no audiences, so the
/// audiences asked for are the ones answered. A server without authentication has no token
/// authenticators and answers with the status empty, as kube-apiserver without one does.
/// </summary>
internal sealed class TokenReviewer(BearerTokenAuthenticator? tokens) : IReviewer
{
    /// <summary>Kubernetes' bearer-token authenticator's one error for every token it does not accept.</summary>
    public const string InvalidToken = "invalid bearer token";

    /// <inheritdoc/>
    public KindInfo Kind => KubeKinds.TokenReview;

    /// <inheritdoc/>
    public async ValueTask<KubeObject> ReviewAsync(KubeObject review, ApiContext context)
    {
        var tokenReview = (TokenReview)review;
        var token = tokenReview.Spec.Token;
        if (string.IsNullOrEmpty(token))
        {
            // Kubernetes' wording, which names the internal version.
            throw StatusErrors.BadRequest("token is required for TokenReview in authentication.k8s.io/__internal");
        }

        if (tokens is null)
        {
            return tokenReview;
        }

        var result = await tokens.AuthenticateTokenAsync(token, context.Aborted).ConfigureAwait(false);
        if (result.User is not { } user)
        {
            tokenReview.Status = new TokenReviewStatus { Error = InvalidToken };
            return tokenReview;
        }

        var groups = user.InGroup(Authentication.UserInfo.SystemAuthenticated) ? user.Groups : [.. user.Groups, Authentication.UserInfo.SystemAuthenticated];
        tokenReview.Status = new TokenReviewStatus
        {
            Authenticated = true,
            User = ReviewUsers.ToApi(user with { Groups = groups }),
            Audiences = tokenReview.Spec.Audiences is { Count: > 0 } audiences ? [.. audiences] : null,
        };
        return tokenReview;
    }
}
