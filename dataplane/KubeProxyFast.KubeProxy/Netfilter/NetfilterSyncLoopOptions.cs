using KubeProxyFast.Dataplane.Netfilter.Sync;

namespace KubeProxyFast.KubeProxy.Netfilter;

/// <summary>Settings of the <see cref="NetfilterSyncLoop"/>.</summary>
public sealed record NetfilterSyncLoopOptions
{
    /// <summary>Kernel (DNAT) or userspace (REDIRECT to the proxy) rules.</summary>
    public NetfilterMode Mode { get; init; } = NetfilterMode.Kernel;

    /// <summary>
    /// Least time between two syncs: changes that arrive faster are merged (kube-proxy's
    /// <c>--min-sync-period</c>). Behind a <see cref="Pipeline.ProxyPipeline"/>, which already
    /// bounds how often snapshots come, the agent sets zero so that two limits do not add up.
    /// </summary>
    public TimeSpan MinSyncPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the table is read back and repaired when it drifted (kube-proxy's <c>--sync-period</c>, 30 s).</summary>
    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After a failed sync, how long until the next (full) one is tried.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Leave the rules in the kernel when the loop stops (they are deleted by default).</summary>
    public bool KeepRulesOnExit { get; init; }
}
