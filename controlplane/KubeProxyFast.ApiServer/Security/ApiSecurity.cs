using KubeProxyFast.ApiServer.Admission;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Authorization;
using KubeProxyFast.ApiServer.Authorization.Rbac;
using KubeProxyFast.ApiServer.Authorization.Rbac.Bootstrap;
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
    private readonly IReadOnlyList<ResourceMirror> _mirrors;
    private readonly IReadOnlyList<IAsyncDisposable> _owned;

    private ApiSecurity(
        AuthenticatorChain authentication, BearerTokenAuthenticator tokens, IAuthorizer authorization, IReadOnlyList<ResourceMirror> mirrors, IReadOnlyList<IAsyncDisposable> owned)
    {
        _mirrors = mirrors;
        Authentication = authentication;
        Tokens = tokens;
        Authorization = authorization;
        _owned = owned;
    }

    /// <summary>RBAC: the authorizer in the chain, and what it grants a user (<see cref="RbacAuthorizer.RulesFor"/>) for rules reviews.</summary>
    public required RbacAuthorizer Rbac { get; init; }

    /// <summary>The write checks that need the requester, in order (RBAC escalation prevention, then node restriction).</summary>
    public required IReadOnlyList<IWriteAdmission> Admission { get; init; }

    /// <summary>Who a request comes from.</summary>
    public AuthenticatorChain Authentication { get; }

    /// <summary>The bearer-token authenticators in order, for TokenReviews.</summary>
    public BearerTokenAuthenticator Tokens { get; }

    /// <summary>Whether they may do it (<c>system:masters</c> first, then Node, then RBAC).</summary>
    public IAuthorizer Authorization { get; }

    /// <summary>The chain and authorizer for <paramref name="options"/>, reading what they need through <paramref name="registry"/>.</summary>
    public static async Task<ApiSecurity> CreateAsync(
        ApiServerSecurity options, ObjectRegistry registry, WatchCaches watchCaches, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<ITokenAuthenticator> tokenAuthenticators = [];
        var tokens = new BearerTokenAuthenticator(tokenAuthenticators);
        List<IAuthenticator> authenticators = [new ClientCertificateAuthenticator(options.ClientCertificateAuthorities, options.Time), tokens];
        List<IAuthorizer> authorizers = [];
        // The in-memory copies the authenticators and authorizers read; started with Start, once the watch caches run.
        List<ResourceMirror> mirrors = [];
        List<IAsyncDisposable> owned = [];
        List<IWriteAdmission> admission = [];
        ArgumentNullException.ThrowIfNull(registry);
        // Before serving: every server on the store makes sure the default roles and bindings are there.
        await new PolicyReconciler(registry, options.Time, logger).EnsureAsync(cancellationToken).ConfigureAwait(false);
        var rbac = new RbacAuthorizer(registry.Store, watchCaches, logger);
        authorizers.Add(rbac);
        mirrors.AddRange(rbac.Mirrors);
        admission.Add(new RbacEscalation(rbac));
        var security = new ApiSecurity(
            new AuthenticatorChain(authenticators, options.AnonymousPaths),
            tokens,
            new AuthorizerChain(authorizers),
            mirrors,
            owned)
        {
            Rbac = rbac,
            Admission = admission,
        };
        return security;
    }

    /// <summary>Starts the in-memory copies (after the watch caches have started); requests that need one wait for its first list.</summary>
    public void Start()
    {
        foreach (var mirror in _mirrors)
        {
            mirror.Start();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var mirror in _mirrors)
        {
            await mirror.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var owned in _owned)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }
    }
}
