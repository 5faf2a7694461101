using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.KubeProxy.Config;

/// <summary>The outcome of <see cref="SnapshotBuilder.Build"/>: a snapshot, or the errors that prevent one.</summary>
/// <param name="Snapshot">The snapshot to serve; null when <see cref="Errors"/> is not empty.</param>
/// <param name="Errors">Why the objects cannot be served; the whole set is rejected when there is any.</param>
/// <param name="Warnings">Things that are served differently from what the objects may suggest (ignored kinds, unallocated node ports).</param>
public sealed record SnapshotBuildResult(
    ProxySnapshot? Snapshot, IReadOnlyList<ConfigError> Errors, IReadOnlyList<ConfigError> Warnings)
{
    /// <summary>True when there is a snapshot.</summary>
    public bool Succeeded => Snapshot is not null;
}
