using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Authorization;
using KubeProxyFast.ApiServer.Authorization.Node;
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
        AuthenticatorChain authentication, BearerTokenAuthenticator tokens, IReadOnlyList<IAuthorizer> modes, IReadOnlyList<ResourceMirror> mirrors,
        IReadOnlyList<IAsyncDisposable> owned)
    {
        _mirrors = mirrors;
        Authentication = authentication;
        Tokens = tokens;
        Authorization = new AuthorizerChain(modes);
        RuleResolvers = modes.OfType<IRuleResolver>().ToArray();
        EveryModeListsRules = RuleResolvers.Count == modes.Count;
        _owned = owned;
    }

    /// <summary>Who a request comes from.</summary>
    public AuthenticatorChain Authentication { get; }

    /// <summary>The bearer-token authenticators in order, for TokenReviews.</summary>
    public BearerTokenAuthenticator Tokens { get; }

    /// <summary>Whether they may do it (<c>system:masters</c> first, then Node, then RBAC).</summary>
    public IAuthorizer Authorization { get; }

    /// <summary>The authorization modes that can list a user's rules, in order (SelfSubjectRulesReviews).</summary>
    public IReadOnlyList<IRuleResolver> RuleResolvers { get; }

    /// <summary>True when every authorization mode lists its rules, so a rules review is complete.</summary>
    public bool EveryModeListsRules { get; }
    /// <summary><c>/cacerts</c> (public, before authentication), or null when the options give no CA bundle.</summary>
    public CaCertsEndpoint? CaCerts { get; private set; }

    /// <summary>The chain and authorizer for <paramref name="options"/>, reading what they need through <paramref name="registry"/>.</summary>
    public static Task<ApiSecurity> CreateAsync(
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
        if (options.TokenAuthFile is { } tokenFile)
        {
            tokenAuthenticators.Add(TokenFileAuthenticator.Load(tokenFile, logger));
        }

        if (options.EnableBootstrapTokenAuth)
        {
            tokenAuthenticators.Add(new BootstrapTokenAuthenticator(registry, options.Time));
        }

        // Node authorization first, as kube-apiserver's --authorization-mode=Node,RBAC: kubelets are judged on their pods.
        var nodeGraph = new NodeGraph();
        var nodePods = new ResourceMirror(Resources.Pods, registry.Store, watchCaches, logger, nodeGraph);
        mirrors.Add(nodePods);
        authorizers.Add(new NodeAuthorizer(nodeGraph, nodePods));
        // kube-system/extension-apiserver-authentication: the client CA, for servers that delegate authentication (kubelets).
        owned.Add(Reconcilers.AuthenticationConfigMap.Start(registry, options.ClientCertificateAuthorities, options.Time, logger));
        _ = (registry, watchCaches, logger, cancellationToken);
        var security = new ApiSecurity(
            new AuthenticatorChain(authenticators, options.AnonymousPaths),
            tokens,
            authorizers,
            mirrors,
            owned);
        security.CaCerts = options.ServerCaBundlePem is { } caBundle ? new CaCertsEndpoint(caBundle) : null;
        return Task.FromResult(security);
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
