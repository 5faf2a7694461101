using KubeProxyFast.ApiServer.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>
/// Kubernetes' union authenticator: the first authenticator that succeeds names the user (who then
/// also belongs to <c>system:authenticated</c>); a request with no valid credentials is anonymous
/// on the paths anonymous requests may use (<c>/healthz</c>, <c>/readyz</c>, <c>/livez</c>,
/// <c>/version</c> by default) and refused with 401 everywhere else, even when it carried invalid
/// credentials on those paths (as Kubernetes: a bad token is never downgraded to anonymous).
/// </summary>
internal sealed class AuthenticatorChain
{
    private readonly IReadOnlyList<IAuthenticator> _authenticators;
    private readonly HashSet<string> _anonymousPaths;

    /// <summary>The chain of <paramref name="authenticators"/>, anonymous only on <paramref name="anonymousPaths"/> (exact paths).</summary>
    public AuthenticatorChain(IReadOnlyList<IAuthenticator> authenticators, IEnumerable<string> anonymousPaths)
    {
        _authenticators = authenticators;
        _anonymousPaths = new HashSet<string>(anonymousPaths, StringComparer.Ordinal);
    }

    /// <summary>The request's user.</summary>
    /// <exception cref="StatusException">401 Unauthorized: no valid credentials, on a path that anonymous requests may not use.</exception>
    public async ValueTask<UserInfo> AuthenticateAsync(HttpContext http, string path, CancellationToken cancellationToken)
    {
        var failed = false;
        foreach (var authenticator in _authenticators)
        {
            var result = await authenticator.AuthenticateAsync(http, cancellationToken).ConfigureAwait(false);
            if (result.User is { } user)
            {
                return user.InGroup(UserInfo.SystemAuthenticated) ? user : user with { Groups = [.. user.Groups, UserInfo.SystemAuthenticated] };
            }

            failed |= result.Error is not null;
        }

        if (!failed && _anonymousPaths.Contains(path))
        {
            return UserInfo.Anonymous;
        }

        throw StatusErrors.Unauthorized();
    }
}
