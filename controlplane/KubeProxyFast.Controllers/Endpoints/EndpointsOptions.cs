namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>Settings of the endpoints controller, with kube-controller-manager's defaults.</summary>
public sealed record EndpointsOptions
{
    /// <summary>
    /// Services synced at once (<c>--concurrent-endpoint-syncs</c>, default 5): more is faster
    /// endpoint updating at the cost of CPU and network load.
    /// </summary>
    public int ConcurrentEndpointSyncs { get; init; } = 5;

    /// <summary>
    /// How long a pod change waits before its services are synced (<c>--endpoint-updates-batch-period</c>,
    /// default 0): changes of many pods within the period become one write of the Endpoints.
    /// </summary>
    public TimeSpan EndpointUpdatesBatchPeriod { get; init; } = TimeSpan.Zero;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (ConcurrentEndpointSyncs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ConcurrentEndpointSyncs), ConcurrentEndpointSyncs, "--concurrent-endpoint-syncs must be at least 1");
        }

        if (EndpointUpdatesBatchPeriod < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(EndpointUpdatesBatchPeriod), EndpointUpdatesBatchPeriod, "--endpoint-updates-batch-period must not be negative");
        }
    }
}
