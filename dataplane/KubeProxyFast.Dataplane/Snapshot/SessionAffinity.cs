namespace KubeProxyFast.Dataplane.Snapshot;

/// <summary>
/// Session affinity of a service port: none, or ClientIP with a sliding timeout (a client keeps
/// its endpoint while it keeps using it within the timeout, as Kubernetes defines it).
/// </summary>
/// <param name="ClientIP">True for ClientIP affinity.</param>
/// <param name="Timeout">How long an idle client keeps its endpoint; Kubernetes' default is 10800 s.</param>
public sealed record SessionAffinity(bool ClientIP, TimeSpan Timeout)
{
    /// <summary>Kubernetes' default ClientIP timeout: 3 hours.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10800);

    /// <summary>No affinity: every connection is balanced on its own.</summary>
    public static SessionAffinity None { get; } = new(false, TimeSpan.Zero);

    /// <summary>ClientIP affinity with <paramref name="timeout"/>.</summary>
    public static SessionAffinity ForClientIP(TimeSpan timeout) => new(true, timeout);

    /// <inheritdoc/>
    public override string ToString() => ClientIP ? $"ClientIP({Timeout.TotalSeconds:0}s)" : "None";
}
