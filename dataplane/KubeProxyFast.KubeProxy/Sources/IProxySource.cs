using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Config;

namespace KubeProxyFast.KubeProxy.Sources;

/// <summary>
/// Where the proxy's Services and Endpoints come from: a watched file (<see cref="ConfigFileSource"/>)
/// or an apiserver (<see cref="ApiServer.ApiServerSource"/>). A source builds snapshots through
/// <see cref="SnapshotBuilder"/> and applies them to its <see cref="ISnapshotTarget"/> when
/// <see cref="Sync"/> is called; it never applies on its own: it says that a sync is due through
/// the callback of <see cref="StartWatching"/>, and the bounded-frequency runner of
/// <see cref="Pipeline.ProxyPipeline"/> decides when.
/// </summary>
public interface IProxySource : IDisposable
{
    /// <summary>What is served, for logs: the file's path, or the apiserver's URL.</summary>
    string Description { get; }

    /// <summary>The latest sync's outcome and the totals; null before the first.</summary>
    ConfigLoadStatus? Status { get; }

    /// <summary>The snapshot of the last sync that was applied.</summary>
    ProxySnapshot Serving { get; }

    /// <summary>
    /// Applies the source's latest state to its target if it changed since the last sync (or a
    /// failed apply is due for a retry). Serialized with every other sync. Returns when the
    /// changes it applied were received (for the network programming latency); empty when
    /// nothing was applied.
    /// </summary>
    IReadOnlyList<DateTimeOffset> Sync();

    /// <summary>Starts following changes; <paramref name="changed"/> is called (quickly, from any thread) whenever a sync is due.</summary>
    void StartWatching(Action changed);
}
