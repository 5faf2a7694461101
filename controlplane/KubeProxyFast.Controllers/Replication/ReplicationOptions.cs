namespace KubeProxyFast.Controllers.Replication;

/// <summary>
/// Settings of the replication manager (<see cref="ReplicationManager"/>); the defaults are
/// kube-controller-manager's.
/// </summary>
public sealed record ReplicationOptions
{
    /// <summary>
    /// Replication controllers synced at once (<c>--concurrent-rc-syncs</c>, 5). One controller is
    /// never synced by two workers at once.
    /// </summary>
    public int ConcurrentRcSyncs { get; init; } = 5;

    /// <summary>
    /// Pod creates or deletes one sync of one controller may issue (Kubernetes' <c>BurstReplicas</c>,
    /// 500); the rest waits for the next sync, once the watch has shown these.
    /// </summary>
    public int BurstReplicas { get; init; } = 500;

    /// <summary>
    /// How long a controller waits for the watch to show the creates and deletes it issued before it
    /// syncs anyway (Kubernetes' <c>ExpectationsTimeout</c>, 5 minutes): a lost event delays a
    /// controller by this much, never forever.
    /// </summary>
    public TimeSpan ExpectationsTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often every controller is synced even without an event (kube-controller-manager's
    /// <c>--min-resync-period</c>, 12 hours), so state the watch never reported still converges.
    /// <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromHours(12);

    /// <summary>Throws when a value is out of range, naming it.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ConcurrentRcSyncs, 1, nameof(ConcurrentRcSyncs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BurstReplicas, 1, nameof(BurstReplicas));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ExpectationsTimeout, TimeSpan.Zero, nameof(ExpectationsTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(ResyncPeriod, TimeSpan.Zero, nameof(ResyncPeriod));
    }
}
