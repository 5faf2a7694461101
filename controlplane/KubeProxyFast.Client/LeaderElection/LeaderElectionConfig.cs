namespace KubeProxyFast.Client.LeaderElection;

/// <summary>
/// One candidate's settings for a leader election on a coordination.k8s.io/v1 Lease, with
/// client-go's defaults: lease 15 s, renew deadline 10 s, retry period 2 s. They must satisfy
/// <c>LeaseDuration &gt; RenewDeadline &gt; 1.2 × RetryPeriod</c>: a leader gives up before anyone
/// else may take its lease.
/// </summary>
public sealed record LeaderElectionConfig
{
    /// <summary>client-go's <c>LeaseDuration</c> default.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(15);

    /// <summary>client-go's <c>RenewDeadline</c> default.</summary>
    public static readonly TimeSpan DefaultRenewDeadline = TimeSpan.FromSeconds(10);

    /// <summary>client-go's <c>RetryPeriod</c> default.</summary>
    public static readonly TimeSpan DefaultRetryPeriod = TimeSpan.FromSeconds(2);

    /// <summary>client-go's jitter of the acquire loop: each wait is the retry period times 1 to 2.2.</summary>
    public const double JitterFactor = 1.2;

    /// <summary>The namespace of the Lease, e.g. <c>kube-system</c>.</summary>
    public required string Namespace { get; init; }

    /// <summary>The name of the Lease, e.g. <c>kube-scheduler</c>.</summary>
    public required string Name { get; init; }

    /// <summary>This candidate's identity, unique among the candidates (e.g. host name and a random suffix).</summary>
    public required string Identity { get; init; }

    /// <summary>How long others wait, from when they last saw the lease change, before they may take it.</summary>
    public TimeSpan LeaseDuration { get; init; } = DefaultLeaseDuration;

    /// <summary>How long a leader keeps leading without a successful renewal; then it steps down.</summary>
    public TimeSpan RenewDeadline { get; init; } = DefaultRenewDeadline;

    /// <summary>How often candidates try to acquire and the leader renews.</summary>
    public TimeSpan RetryPeriod { get; init; } = DefaultRetryPeriod;

    /// <summary>When true, a leader that stops because it was cancelled empties the lease's holder, so another candidate takes over at once.</summary>
    public bool ReleaseOnCancel { get; init; }

    /// <summary>The clock (a fake one in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The leading work, started when this candidate becomes leader; its token is cancelled when
    /// leadership ends (lost, or the election cancelled), and the elector waits for it to return
    /// before it releases the lease or reports <see cref="OnStoppedLeading"/>.
    /// </summary>
    public Func<CancellationToken, Task>? OnStartedLeading { get; init; }

    /// <summary>Called once when a term of leadership has ended and its work has stopped.</summary>
    public Action? OnStoppedLeading { get; init; }

    /// <summary>
    /// Called with the holder's identity each time the observed holder changes (this candidate
    /// included; an emptied lease is not reported). It runs on the election loop: it must not block.
    /// </summary>
    public Action<string>? OnNewLeader { get; init; }

    /// <summary>Throws when a setting is missing or the durations cannot keep one leader at a time.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Namespace);
        ArgumentException.ThrowIfNullOrEmpty(Name);
        ArgumentException.ThrowIfNullOrEmpty(Identity);
        ArgumentNullException.ThrowIfNull(Time);
        if (RetryPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RetryPeriod must be greater than zero, not {RetryPeriod}");
        }

        if (RenewDeadline <= RetryPeriod * JitterFactor)
        {
            throw new ArgumentException($"RenewDeadline ({RenewDeadline}) must be greater than RetryPeriod × {JitterFactor} ({RetryPeriod * JitterFactor})");
        }

        if (LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentException($"LeaseDuration ({LeaseDuration}) must be greater than RenewDeadline ({RenewDeadline})");
        }
    }
}
