namespace KubeProxyFast.Dataplane.Netfilter.Sync;

/// <summary>What one sync sent and how long the kernel took to apply it.</summary>
/// <param name="Full">True for a full sync (the table replaced), false for an incremental one.</param>
/// <param name="Messages">nf_tables messages in the batch (0: nothing had changed).</param>
/// <param name="Bytes">Bytes of the batch.</param>
/// <param name="Elapsed">From rendering to the kernel's answer.</param>
public sealed record SyncResult(bool Full, int Messages, int Bytes, TimeSpan Elapsed)
{
    /// <summary>The part of <see cref="Elapsed"/> spent sending the batch and waiting for the kernel's verdict.</summary>
    public TimeSpan KernelTime { get; init; }

    /// <summary>Stale UDP conntrack entries deleted after the sync (kernel mode).</summary>
    public int ConntrackEntriesDeleted { get; init; }

    /// <summary>Why the conntrack cleanup failed, or null; the rules were programmed either way.</summary>
    public string? ConntrackError { get; init; }
}
