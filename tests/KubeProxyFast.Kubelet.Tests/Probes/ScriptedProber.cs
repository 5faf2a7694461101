using System.Collections.Concurrent;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Probes;

namespace KubeProxyFast.Kubelet.Tests.Probes;

/// <summary>
/// A prober whose answers the test sets per probe (by reference): each probe answers its current
/// outcome (failure until told otherwise) and counts its calls. With <see cref="Hold"/> a call waits
/// until <see cref="Release"/>, so a test can act while a probe is in flight.
/// </summary>
internal sealed class ScriptedProber : IProber
{
    private readonly ConcurrentDictionary<Probe, ProbeOutcome> _outcomes = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<Probe, int> _calls = new(ReferenceEqualityComparer.Instance);
    private TaskCompletionSource? _hold;

    public void Answer(Probe probe, ProbeOutcome outcome) => _outcomes[probe] = outcome;

    public int Calls(Probe probe) => _calls.GetValueOrDefault(probe);

    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _hold?.TrySetResult();

    public async Task<ProbeResult> ProbeAsync(Probe probe, ProbeTarget target, CancellationToken ct)
    {
        _calls.AddOrUpdate(probe, 1, (_, n) => n + 1);
        if (_hold is { } hold)
        {
            await hold.Task;
        }

        var outcome = _outcomes.GetValueOrDefault(probe, ProbeOutcome.Failure);
        return new ProbeResult(outcome, $"{outcome} from {target.ContainerId}");
    }
}
