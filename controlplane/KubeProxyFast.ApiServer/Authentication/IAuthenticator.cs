using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>
/// One way of proving who a request comes from (a client certificate, a bearer token from a file,
/// a bootstrap token), as a Kubernetes request authenticator. The chain
/// (<see cref="AuthenticatorChain"/>) asks each in turn.
/// </summary>
public interface IAuthenticator
{
    /// <summary>
    /// The request's user by this method: <see cref="AuthenticationResult.None"/> when the request
    /// carries no credentials of this kind, <see cref="AuthenticationResult.Failed"/> when it
    /// carries some that are not valid (the request is refused with 401 unless another
    /// authenticator succeeds). Never throws for bad input.
    /// </summary>
    ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext http, CancellationToken cancellationToken);
}

/// <summary>What an <see cref="IAuthenticator"/> concluded.</summary>
/// <param name="User">The user, when authenticated.</param>
/// <param name="Error">Why credentials of this kind were refused (logged, never sent to the client).</param>
public readonly record struct AuthenticationResult(UserInfo? User, string? Error)
{
    /// <summary>No credentials of this kind.</summary>
    public static AuthenticationResult None => default;

    /// <summary>Credentials of this kind that are not valid.</summary>
    public static AuthenticationResult Failed(string error) => new(null, error);

    /// <summary>Authenticated as <paramref name="user"/>.</summary>
    public static AuthenticationResult Success(UserInfo user) => new(user, null);
}
