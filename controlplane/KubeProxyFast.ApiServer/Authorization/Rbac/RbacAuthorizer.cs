using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Security;
using KubeProxyFast.ApiServer.Watch;
using KubeProxyFast.Storage;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Authorization.Rbac;

/// <summary>
/// Kubernetes' RBAC authorizer: a request is allowed when a ClusterRoleBinding, or a RoleBinding
/// of its namespace, grants its user (by name, group or service account) a role with a rule
/// matching it; otherwise no opinion, with the missing roles as the reason
/// (<c>RBAC: clusterrole.rbac.authorization.k8s.io "x" not found</c>). It reads an in-memory index
/// of the four kinds, kept current by one <see cref="ResourceMirror"/> each and rebuilt whole on
/// any change (RBAC objects change rarely; requests read a snapshot without locks).
/// </summary>
internal sealed class RbacAuthorizer : IAuthorizer, IMirrorHandler
{
    // Roles, ClusterRoles, RoleBindings, ClusterRoleBindings; the server's security starts and disposes them.
    private readonly ResourceMirror[] _mirrors;
    private readonly Lock _rebuild = new();
    private volatile RbacSnapshot _snapshot = RbacSnapshot.Empty;
    private volatile bool _synced;

    /// <param name="store">Where the objects are listed from.</param>
    /// <param name="caches">The watch caches that keep them current.</param>
    /// <param name="logger">For relists after failures.</param>
    public RbacAuthorizer(IStore store, WatchCaches caches, ILogger logger)
    {
        _mirrors =
        [
            new ResourceMirror(Resources.Roles, store, caches, logger, this),
            new ResourceMirror(Resources.ClusterRoles, store, caches, logger, this),
            new ResourceMirror(Resources.RoleBindings, store, caches, logger, this),
            new ResourceMirror(Resources.ClusterRoleBindings, store, caches, logger, this),
        ];
    }

    /// <summary>The mirrors to start with the server's security (and dispose with it).</summary>
    public IReadOnlyList<ResourceMirror> Mirrors => _mirrors;

    /// <inheritdoc/>
    public async ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (!_synced)
        {
            await WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        }

        return Authorize(attributes);
    }

    /// <summary>
    /// The decision on <paramref name="attributes"/> from the objects held now (call after
    /// <see cref="WaitForSyncAsync"/>): the synchronous form, for checks made while a write is prepared.
    /// </summary>
    public AuthorizationDecision Authorize(AuthorizationAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        List<string>? missing = null;
        if (_snapshot.Allows(attributes, ref missing))
        {
            return AuthorizationDecision.Allowed();
        }

        return AuthorizationDecision.NoOpinion(missing is null ? "" : "RBAC: " + Aggregate(missing));
    }

    /// <summary>
    /// The rules RBAC grants <paramref name="user"/> in namespace <paramref name="ns"/> (empty:
    /// cluster-wide grants only), as Kubernetes' rule resolver lists them for
    /// SelfSubjectRulesReview and for escalation checks. Call after <see cref="WaitForSyncAsync"/>.
    /// </summary>
    public RbacRules RulesFor(UserInfo user, string ns)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(ns);
        return _snapshot.RulesFor(user, ns);
    }

    /// <summary>The rules of <paramref name="roleKind"/> <paramref name="roleName"/> as a binding in <paramref name="ns"/> resolves it, or null when it does not exist.</summary>
    public IReadOnlyList<Api.Rbac.PolicyRule>? RoleRules(string roleKind, string roleName, string ns) => _snapshot.RoleRules(roleKind, roleName, ns);

    /// <summary>Completes once every RBAC kind has been listed and indexed.</summary>
    public async Task WaitForSyncAsync(CancellationToken cancellationToken)
    {
        if (_synced)
        {
            return;
        }

        await Task.WhenAll(Mirrors.Select(m => m.WaitForSyncAsync(cancellationToken))).ConfigureAwait(false);
        Rebuild();
        _synced = true;
    }

    /// <inheritdoc/>
    void IMirrorHandler.Reset(IReadOnlyCollection<KubeObject> all) => Rebuild();

    /// <inheritdoc/>
    void IMirrorHandler.Changed(KubeObject? old, KubeObject? current) => Rebuild();

    private void Rebuild()
    {
        // Four mirrors call from four loops: one rebuild at a time, each from every mirror's current content.
        lock (_rebuild)
        {
            _snapshot = RbacSnapshot.Build(_mirrors[0].Items, _mirrors[1].Items, _mirrors[2].Items, _mirrors[3].Items);
        }
    }

    /// <summary>Kubernetes' aggregate error text: the one message, or <c>[a, b]</c>.</summary>
    private static string Aggregate(List<string> errors) => errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]";
}
