namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>
/// One kind of bearer token (a token file's, a bootstrap token), as Kubernetes' token
/// authenticators: used for <c>Authorization: Bearer</c> headers (<see cref="BearerTokenAuthenticator"/>)
/// and for TokenReviews, which ask the same question about a token the caller holds.
/// </summary>
public interface ITokenAuthenticator
{
    /// <summary>
    /// The user <paramref name="token"/> names: <see cref="AuthenticationResult.None"/> when the
    /// token is not of this kind, <see cref="AuthenticationResult.Failed"/> when it is but is not
    /// valid (unknown, expired, not for authentication). Compares secrets in constant time; never throws for bad input.
    /// </summary>
    ValueTask<AuthenticationResult> AuthenticateTokenAsync(string token, CancellationToken cancellationToken);
}
