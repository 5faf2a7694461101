namespace KubeProxyFast.KubeProxy.Pipeline;

/// <summary>Timing of a <see cref="ProxyPipeline"/>: kube-proxy's <c>--min-sync-period</c> and <c>--sync-period</c>.</summary>
public sealed record ProxyPipelineOptions
{
    /// <summary>
    /// Least time between two syncs beyond a burst of <see cref="Burst"/>: changes that come
    /// faster are merged into one sync (kube-proxy's <c>--min-sync-period</c>, default 1 s).
    /// </summary>
    public TimeSpan MinSyncPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest time between two syncs, changes or not: the periodic sync that repairs drift (kube-proxy's <c>--sync-period</c>, 30 s).</summary>
    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Syncs that may run back to back before <see cref="MinSyncPeriod"/> applies (kube-proxy's runner allows 2).</summary>
    public int Burst { get; init; } = 2;

    /// <summary>Throws when a setting is out of range, naming it as its flag.</summary>
    public void Validate()
    {
        if (MinSyncPeriod < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MinSyncPeriod), MinSyncPeriod, "--min-sync-period must not be negative");
        }

        if (SyncPeriod <= TimeSpan.Zero || SyncPeriod < MinSyncPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(SyncPeriod), SyncPeriod, "--sync-period must be positive and at least --min-sync-period");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Burst, 1);
    }
}
