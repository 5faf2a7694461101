namespace KubeProxyFast.Bench.Scheduler;

/// <summary>The flags of <c>kpf scheduler</c> and <c>kpf controller-manager</c> the benchmark sets, and what they print.</summary>
internal static class SchedulerFlags
{
    /// <summary>
    /// The benchmark's nodes have no kubelet renewing a Lease: a node monitor grace period longer
    /// than any run keeps the node lifecycle controller from tainting them mid-run.
    /// </summary>
    public static readonly string[] QuietNodes = ["--node-monitor-grace-period", "1h"];

    /// <summary>/healthz and /metrics on any free loopback port (the role prints which).</summary>
    public static readonly string[] Status = ["--bind-address", "127.0.0.1", "--secure-port", "0"];

    private const string Serving = "serving /healthz and /metrics on ";

    /// <summary>Where <paramref name="role"/> serves /metrics, from the line it prints once it listens.</summary>
    public static async Task<Uri> StatusUrlAsync(KpfChild role, CancellationToken cancellationToken)
    {
        var line = await role.WaitForLineAsync(Serving, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        return new Uri(line[(line.IndexOf(Serving, StringComparison.Ordinal) + Serving.Length)..].Split(' ')[0]);
    }
}
