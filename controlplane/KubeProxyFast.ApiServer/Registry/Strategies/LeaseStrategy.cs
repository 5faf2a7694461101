namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>
/// Leases, as Kubernetes' lease strategy: no defaults and no status; a PUT may create one (a
/// candidate writes its lease without reading first), but an update must name the
/// resourceVersion it replaces — two candidates must never both win a lease.
/// </summary>
internal sealed class LeaseStrategy : ResourceStrategy
{
    public override bool AllowCreateOnUpdate => true;

    public override bool AllowUnconditionalUpdate => false;
}
