using KubeProxyFast.ApiServer.Authorization;

namespace KubeProxyFast.ApiServer.Reviews;

/// <summary>
/// Kubernetes' <c>AlwaysAllow</c> mode: what an access review answers on a server without
/// authentication and authorization (plain HTTP on loopback, where every request may do anything),
/// so a review there tells the truth about that server.
/// </summary>
internal sealed class AlwaysAllowAuthorizer : IAuthorizer
{
    /// <summary>The one instance; it holds no state.</summary>
    public static AlwaysAllowAuthorizer Instance { get; } = new();

    /// <inheritdoc/>
    public ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AuthorizationDecision.Allowed());
}
