namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>
/// Roles and ClusterRoles, as Kubernetes' role strategies: no defaults and no status; a PUT may
/// create one (policy reconcilers write roles whole). Who may grant which rules is checked
/// apart, with the requester (<c>Authorization/Rbac/RbacEscalation</c>).
/// </summary>
internal sealed class RbacRoleStrategy : ResourceStrategy
{
    public override bool AllowCreateOnUpdate => true;
}
