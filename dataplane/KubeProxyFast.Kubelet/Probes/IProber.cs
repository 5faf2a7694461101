using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Kubelet.Probes;

/// <summary>Runs one probe once against one container instance.</summary>
public interface IProber
{
    /// <summary>
    /// Runs <paramref name="probe"/>'s handler against <paramref name="target"/> within the probe's
    /// timeout. Never throws for the probe's own failures (they are <see cref="ProbeOutcome.Failure"/>);
    /// only <paramref name="ct"/> cancellation escapes.
    /// </summary>
    Task<ProbeResult> ProbeAsync(Probe probe, ProbeTarget target, CancellationToken ct);
}
