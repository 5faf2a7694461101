namespace KubeProxyFast.Controllers.NodeLifecycle;

/// <summary>
/// Settings of the node lifecycle controller, as kube-controller-manager's flags of the same
/// names, with Kubernetes' defaults.
/// </summary>
public sealed record NodeLifecycleOptions
{
    /// <summary>How often node health is checked (<c>--node-monitor-period</c>, 5 s).</summary>
    public TimeSpan NodeMonitorPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a node may go without a Lease renewal or a status heartbeat before it is marked Unknown (<c>--node-monitor-grace-period</c>, 40 s).</summary>
    public TimeSpan NodeMonitorGracePeriod { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>How long a node that never posted a Ready condition has before it is marked Unknown (<c>--node-startup-grace-period</c>, 60 s).</summary>
    public TimeSpan NodeStartupGracePeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a node is unhealthy before its pods are deleted (<c>--pod-eviction-timeout</c>, 5 min).</summary>
    public TimeSpan PodEvictionTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Nodes per second whose pods are deleted in a healthy zone (<c>--node-eviction-rate</c>, 0.1).</summary>
    public double NodeEvictionRate { get; init; } = 0.1;

    /// <summary>Nodes per second whose pods are deleted in a partly unhealthy zone of a large cluster (<c>--secondary-node-eviction-rate</c>, 0.01).</summary>
    public double SecondaryNodeEvictionRate { get; init; } = 0.01;

    /// <summary>The share of not-ready nodes (at least 3) that makes a zone partly unhealthy (<c>--unhealthy-zone-threshold</c>, 0.55).</summary>
    public double UnhealthyZoneThreshold { get; init; } = 0.55;

    /// <summary>Above this many nodes a zone is large: a partly unhealthy zone evicts at the secondary rate, a smaller one not at all (<c>--large-cluster-size-threshold</c>, 50).</summary>
    public int LargeClusterSizeThreshold { get; init; } = 50;

    /// <summary>How often the eviction queues are tried (Kubernetes' <c>NodeEvictionPeriod</c>, 100 ms).</summary>
    public TimeSpan NodeEvictionPeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The options' errors, in the words of kube-controller-manager's flags; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Positive(NodeMonitorPeriod, "--node-monitor-period", errors);
        Positive(NodeMonitorGracePeriod, "--node-monitor-grace-period", errors);
        Positive(NodeStartupGracePeriod, "--node-startup-grace-period", errors);
        Positive(NodeEvictionPeriod, "node eviction period", errors);
        if (PodEvictionTimeout < TimeSpan.Zero)
        {
            errors.Add($"--pod-eviction-timeout must not be negative, got {PodEvictionTimeout}");
        }

        if (NodeEvictionRate < 0 || double.IsNaN(NodeEvictionRate))
        {
            errors.Add($"--node-eviction-rate must not be negative, got {NodeEvictionRate}");
        }

        if (SecondaryNodeEvictionRate < 0 || double.IsNaN(SecondaryNodeEvictionRate))
        {
            errors.Add($"--secondary-node-eviction-rate must not be negative, got {SecondaryNodeEvictionRate}");
        }

        if (!(UnhealthyZoneThreshold is > 0 and <= 1))
        {
            errors.Add($"--unhealthy-zone-threshold must be in (0, 1], got {UnhealthyZoneThreshold}");
        }

        if (LargeClusterSizeThreshold < 0)
        {
            errors.Add($"--large-cluster-size-threshold must not be negative, got {LargeClusterSizeThreshold}");
        }

        return errors;
    }

    private static void Positive(TimeSpan value, string flag, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{flag} must be positive, got {value}");
        }
    }
}
