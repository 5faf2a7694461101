namespace KubeProxyFast.Kubelet.Runtime;

/// <summary>How <see cref="EmbeddedContainerd"/> starts and supervises containerd.</summary>
public sealed record EmbeddedContainerdOptions
{
    /// <summary>The containerd binary.</summary>
    public string ContainerdPath { get; init; } = "containerd";

    /// <summary>
    /// A command the containerd command line is appended to, e.g. <c>["nsenter", "--net=/run/netns/ns1"]</c>
    /// so that it runs inside a network namespace (tests; nsenter execs, so the pid stays
    /// containerd's). Not <c>ip netns exec</c>: its fresh /sys hides the cgroup mounts from runc.
    /// Empty: containerd is started directly.
    /// </summary>
    public IReadOnlyList<string> LauncherPrefix { get; init; } = [];

    /// <summary>How long a start may take before containerd's socket answers CRI Version.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first wait before a restart after containerd died; doubled after each quick death.</summary>
    public TimeSpan InitialRestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before a restart.</summary>
    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A run at least this long resets the restart delay to <see cref="InitialRestartDelay"/>.</summary>
    public TimeSpan StableRun { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long containerd has to exit after SIGTERM before it is killed.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);
}
