using System.Globalization;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>The flags of <c>kpf scheduler</c> and <c>kpf controller-manager</c> the benchmark sets.</summary>
internal static class SchedulerFlags
{
    /// <summary>
    /// The benchmark's nodes have no kubelet renewing a Lease: a node monitor grace period longer
    /// than any run keeps the node lifecycle controller from tainting them mid-run.
    /// </summary>
    public static readonly string[] QuietNodes = ["--node-monitor-grace-period", "1h"];

    /// <summary>Serve <c>/metrics</c> on 127.0.0.1:<paramref name="port"/>.</summary>
    public static string[] Metrics(int port) => ["--bind-address", "127.0.0.1", "--secure-port", port.ToString(CultureInfo.InvariantCulture)];
}
