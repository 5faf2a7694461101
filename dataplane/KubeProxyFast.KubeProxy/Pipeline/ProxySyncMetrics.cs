using System.Globalization;
using System.Text;
using KubeProxyFast.KubeProxy.Metrics;

namespace KubeProxyFast.KubeProxy.Pipeline;

/// <summary>
/// kube-proxy's sync metrics, named <c>kpf_proxy_…</c>: how long each sync took, when the last one
/// ended, and the network programming latency — from when a change was made (an Endpoints'
/// <c>endpoints.kubernetes.io/last-change-trigger-time</c>) or else received, to when it was
/// applied — with kube-proxy's buckets, so the same dashboards and SLO queries read them.
/// </summary>
public sealed class ProxySyncMetrics
{
    private long _changes;
    private long _lastSyncUnixMilliseconds;

    /// <summary>kube-proxy's <c>sync_proxy_rules_duration_seconds</c>: 1 ms doubling to 16.384 s.</summary>
    public Histogram SyncDuration { get; } = new(Histogram.Exponential(0.001, 2, 15));

    /// <summary>kube-proxy's <c>network_programming_duration_seconds</c>: 0.25 s, 0.5 s, 1–59 s, 60–115 s by 5, 2–5 min by 30 s.</summary>
    public Histogram NetworkProgramming { get; } = new(
        Histogram.Linear(0.25, 0.25, 2)
            .Concat(Histogram.Linear(1, 1, 59))
            .Concat(Histogram.Linear(60, 5, 12))
            .Concat(Histogram.Linear(120, 30, 7)));

    /// <summary>Called with each applied change's latency (for a benchmark's exact percentiles, which the buckets cannot give); null for none.</summary>
    public Action<TimeSpan>? ChangeApplied { get; set; }

    /// <summary>Syncs run (each may apply nothing, when nothing changed).</summary>
    public long Syncs => SyncDuration.Count;

    /// <summary>Changes applied (each Service or Endpoints event, each file version).</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Records a sync that ended at <paramref name="ended"/> after <paramref name="elapsed"/>, and the latency of each change it applied.</summary>
    public void Synced(DateTimeOffset ended, TimeSpan elapsed, IReadOnlyList<DateTimeOffset> changeTimes)
    {
        ArgumentNullException.ThrowIfNull(changeTimes);
        SyncDuration.Observe(elapsed.TotalSeconds);
        Interlocked.Exchange(ref _lastSyncUnixMilliseconds, ended.ToUnixTimeMilliseconds());
        foreach (var changed in changeTimes)
        {
            // A trigger time from a clock ahead of ours reads as zero, not as a negative latency.
            var latency = ended > changed ? ended - changed : TimeSpan.Zero;
            NetworkProgramming.Observe(latency.TotalSeconds);
            ChangeApplied?.Invoke(latency);
        }

        Interlocked.Add(ref _changes, changeTimes.Count);
    }

    /// <summary>Writes the families in the Prometheus text format.</summary>
    public void Write(StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        const string Duration = "kpf_proxy_sync_proxy_rules_duration_seconds";
        Family(output, Duration, "histogram", "How long one sync of the proxy's state took: build the snapshot, apply it to the engine or the rules.");
        SyncDuration.Write(output, Duration);
        const string Programming = "kpf_proxy_network_programming_duration_seconds";
        Family(output, Programming, "histogram",
            "From when a Service or Endpoints change was made (its last-change-trigger-time) or received, to when it was applied.");
        NetworkProgramming.Write(output, Programming);
        Family(output, "kpf_proxy_sync_proxy_rules_last_timestamp_seconds", "gauge", "When the last sync ended, in seconds since the Unix epoch.");
        var last = Interlocked.Read(ref _lastSyncUnixMilliseconds);
        output.Append(CultureInfo.InvariantCulture, $"kpf_proxy_sync_proxy_rules_last_timestamp_seconds {last / 1000.0:0.###}\n");
        Family(output, "kpf_proxy_syncs_total", "counter", "Syncs run.");
        output.Append(CultureInfo.InvariantCulture, $"kpf_proxy_syncs_total {Syncs}\n");
        Family(output, "kpf_proxy_sync_proxy_rules_changes_total", "counter", "Changes (Service or Endpoints events, file versions) applied.");
        output.Append(CultureInfo.InvariantCulture, $"kpf_proxy_sync_proxy_rules_changes_total {Changes}\n");
    }

    private static void Family(StringBuilder output, string name, string type, string help) =>
        output.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
}
