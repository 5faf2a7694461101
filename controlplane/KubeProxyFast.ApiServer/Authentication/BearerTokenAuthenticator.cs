using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>
/// The <c>Authorization: Bearer &lt;token&gt;</c> header, judged by the token authenticators in
/// order; a bearer token none of them accepts is a failure (401), as in Kubernetes.
/// </summary>
internal sealed class BearerTokenAuthenticator : IAuthenticator
{
    private readonly IReadOnlyList<ITokenAuthenticator> _tokens;

    public BearerTokenAuthenticator(IReadOnlyList<ITokenAuthenticator> tokens) => _tokens = tokens;

    /// <inheritdoc/>
    public async ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var header = http.Request.Headers.Authorization;
        if (header.Count == 0)
        {
            return AuthenticationResult.None;
        }

        var value = header[0] ?? "";
        const string Scheme = "Bearer ";
        if (header.Count > 1 || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            // Basic auth and other schemes are not served; Kubernetes ignores what it cannot read.
            return AuthenticationResult.None;
        }

        var token = value[Scheme.Length..].Trim();
        if (token.Length == 0)
        {
            return AuthenticationResult.Failed("an empty bearer token");
        }

        return await AuthenticateTokenAsync(token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user of <paramref name="token"/> by the first token authenticator that knows it; a failure when none does.</summary>
    public async ValueTask<AuthenticationResult> AuthenticateTokenAsync(string token, CancellationToken cancellationToken)
    {
        string? error = null;
        foreach (var authenticator in _tokens)
        {
            var result = await authenticator.AuthenticateTokenAsync(token, cancellationToken).ConfigureAwait(false);
            if (result.User is not null)
            {
                return result;
            }

            error ??= result.Error;
        }

        return AuthenticationResult.Failed(error ?? "the bearer token is not known");
    }
}
