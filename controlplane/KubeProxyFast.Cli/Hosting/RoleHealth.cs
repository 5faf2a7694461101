namespace KubeProxyFast.Cli.Hosting;

/// <summary>
/// A role's health as Kubernetes components report it: live (running, not to be restarted) and
/// ready (doing its work), with the reason when either is false. Immutable, so a role swaps it
/// whole and any thread reads a consistent value.
/// </summary>
/// <param name="Live">False once the role has failed or stopped.</param>
/// <param name="Ready">True while the role serves.</param>
/// <param name="Reason">Why the role is not live or not ready (e.g. <c>waiting for the store: …</c>); empty when it is both.</param>
internal sealed record RoleHealth(bool Live, bool Ready, string Reason)
{
    /// <summary>Live and ready.</summary>
    public static RoleHealth Serving { get; } = new(true, true, "");

    /// <summary>Not started yet.</summary>
    public static RoleHealth NotStarted { get; } = new(true, false, "not started");

    /// <summary>Stopped, as asked.</summary>
    public static RoleHealth Stopped { get; } = new(false, false, "stopped");

    /// <summary>Live but not ready, for <paramref name="reason"/>.</summary>
    public static RoleHealth NotReady(string reason) => new(true, false, reason);
}
