namespace KubeProxyFast.Kubelet.Probes;

/// <summary>What one probe run says.</summary>
public enum ProbeOutcome
{
    /// <summary>The check passed.</summary>
    Success,

    /// <summary>The check failed (non-zero exit, bad status, refused, timed out, or it could not run).</summary>
    Failure,

    /// <summary>
    /// The prober itself could not ask (e.g. the runtime did not answer ExecSync): the run is thrown
    /// away and counts neither way, as Kubernetes' worker does with a prober error.
    /// </summary>
    Unknown,
}

/// <summary>The outcome of one probe run and the message shown for it (output, status, error).</summary>
/// <param name="Outcome">Success, failure or unknown.</param>
/// <param name="Message">The command's output, the HTTP status and body, or the error; may be empty.</param>
public readonly record struct ProbeResult(ProbeOutcome Outcome, string Message)
{
    /// <summary>A success with <paramref name="message"/>.</summary>
    public static ProbeResult Success(string message = "") => new(ProbeOutcome.Success, message);

    /// <summary>A failure with <paramref name="message"/>.</summary>
    public static ProbeResult Failure(string message) => new(ProbeOutcome.Failure, message);

    /// <summary>A run that could not be made, with why.</summary>
    public static ProbeResult Unknown(string message) => new(ProbeOutcome.Unknown, message);
}

/// <summary>Which of a container's probes.</summary>
public enum ProbeKind
{
    /// <summary><c>livenessProbe</c>: failing restarts the container.</summary>
    Liveness,

    /// <summary><c>readinessProbe</c>: drives the container's (and so the pod's) readiness.</summary>
    Readiness,

    /// <summary><c>startupProbe</c>: holds the others back until it passes; failing restarts the container.</summary>
    Startup,
}
