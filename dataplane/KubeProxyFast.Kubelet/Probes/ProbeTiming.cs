using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Kubelet.Probes;

/// <summary>
/// A probe's timing and thresholds with Kubernetes' defaults filled in: periodSeconds 10,
/// timeoutSeconds 1, successThreshold 1, failureThreshold 3, initialDelaySeconds 0. Values below
/// the API's minimum (1 for all but the initial delay) take the minimum, and liveness and startup
/// probes use a success threshold of 1 whatever is written (validation requires it).
/// </summary>
/// <param name="InitialDelay">Time after the container started before the first probe.</param>
/// <param name="Period">Time between probes.</param>
/// <param name="Timeout">How long one probe may take.</param>
/// <param name="SuccessThreshold">Consecutive successes that make the result a success.</param>
/// <param name="FailureThreshold">Consecutive failures that make the result a failure.</param>
public sealed record ProbeTiming(TimeSpan InitialDelay, TimeSpan Period, TimeSpan Timeout, int SuccessThreshold, int FailureThreshold)
{
    /// <summary>Kubernetes' default <c>periodSeconds</c>.</summary>
    public const int DefaultPeriodSeconds = 10;

    /// <summary>Kubernetes' default <c>timeoutSeconds</c>.</summary>
    public const int DefaultTimeoutSeconds = 1;

    /// <summary>Kubernetes' default <c>successThreshold</c>.</summary>
    public const int DefaultSuccessThreshold = 1;

    /// <summary>Kubernetes' default <c>failureThreshold</c>.</summary>
    public const int DefaultFailureThreshold = 3;

    /// <summary>The timing of <paramref name="probe"/> used as a probe of <paramref name="kind"/>.</summary>
    public static ProbeTiming Of(Probe probe, ProbeKind kind)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new ProbeTiming(
            TimeSpan.FromSeconds(Math.Max(0, probe.InitialDelaySeconds ?? 0)),
            TimeSpan.FromSeconds(AtLeastOne(probe.PeriodSeconds, DefaultPeriodSeconds)),
            TimeSpan.FromSeconds(AtLeastOne(probe.TimeoutSeconds, DefaultTimeoutSeconds)),
            kind == ProbeKind.Readiness ? AtLeastOne(probe.SuccessThreshold, DefaultSuccessThreshold) : 1,
            AtLeastOne(probe.FailureThreshold, DefaultFailureThreshold));
    }

    private static int AtLeastOne(int? value, int fallback) => value is { } v ? Math.Max(1, v) : fallback;
}
