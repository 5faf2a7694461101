using System.Threading.Channels;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Kubelet.Probes;

/// <summary>
/// Probes one container instance with one of its probes, as Kubernetes' prober worker: a tick every
/// period from the container's start plus the initial delay (a timer on the manager's clock, so the
/// schedule does not drift with how long probes take; ticks that come while a probe runs fold into
/// one); liveness and readiness wait for the startup probe; consecutive equal results are counted and
/// the verdict changes only at the threshold; a liveness or startup failure is reported once and the
/// worker stops (the restarted container gets new workers); a passed startup probe stops its worker.
/// </summary>
internal sealed class ProbeWorker
{
    private readonly ProbeManager _manager;
    private readonly ContainerProbes _container;
    private readonly Probe _probe;
    private readonly ProbeTiming _timing;
    private readonly Channel<bool> _ticks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private ProbeOutcome _last = ProbeOutcome.Unknown;
    private int _run;

    public ProbeWorker(ProbeManager manager, ContainerProbes container, ProbeKind kind, Probe probe)
    {
        _manager = manager;
        _container = container;
        Kind = kind;
        _probe = probe;
        _timing = ProbeTiming.Of(probe, kind);
        Completion = Task.CompletedTask;
    }

    public ProbeKind Kind { get; }

    /// <summary>The worker's loop; ends when the container's probes stop or the worker has nothing left to do.</summary>
    public Task Completion { get; private set; }

    /// <summary>Starts the loop with the first probe <paramref name="firstIn"/> from now.</summary>
    public void Start(TimeSpan firstIn) => Completion = RunAsync(firstIn);

    /// <summary>Asks for a probe now (folded into a pending tick if any).</summary>
    public void Trigger() => _ticks.Writer.TryWrite(true);

    private async Task RunAsync(TimeSpan firstIn)
    {
        var stopping = _container.Stopping;
        using var timer = _manager.Time.CreateTimer(static state => ((ProbeWorker)state!).Trigger(), this, firstIn, _timing.Period);
        try
        {
            while (true)
            {
                await _ticks.Reader.ReadAsync(stopping).ConfigureAwait(false);
                if (!await StepAsync(stopping).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>One tick; false when the worker is done.</summary>
    private async Task<bool> StepAsync(CancellationToken stopping)
    {
        if (Kind == ProbeKind.Startup ? _container.Started : !_container.Started)
        {
            // A passed startup probe is not run again; the others wait for it.
            _manager.CountProbe(skipped: true);
            return Kind != ProbeKind.Startup;
        }

        ProbeResult result;
        try
        {
            result = await _manager.Prober.ProbeAsync(_probe, _container.Target, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A prober bug must not end the worker: the run counts as unknown, as a prober error does in Kubernetes.
        catch (Exception e)
#pragma warning restore CA1031
        {
            result = ProbeResult.Unknown($"prober error: {e.Message}");
        }

        try
        {
            return Apply(result);
        }
        finally
        {
            _manager.CountProbe(skipped: false);
        }
    }

    private bool Apply(ProbeResult result)
    {
        if (result.Outcome == ProbeOutcome.Unknown)
        {
            _manager.LogUnknown(_container, Kind, result.Message);
            return true;
        }

        if (result.Outcome == _last)
        {
            _run++;
        }
        else
        {
            _last = result.Outcome;
            _run = 1;
        }

        var success = result.Outcome == ProbeOutcome.Success;
        if (_run < (success ? _timing.SuccessThreshold : _timing.FailureThreshold))
        {
            return true;
        }

        lock (_container.Gate)
        {
            if (_container.Stopped)
            {
                return false;
            }

            switch (Kind)
            {
                case ProbeKind.Readiness:
                    if (_container.SetReady(success))
                    {
                        _manager.OnResultsChanged(_container);
                    }

                    return true;
                case ProbeKind.Startup when success:
                    if (_container.SetStarted())
                    {
                        _container.TriggerReadiness();
                        _manager.OnResultsChanged(_container);
                    }

                    return false;
                case ProbeKind.Liveness when success:
                    return true;
                default:
                    // Liveness or startup failure: reported once; the pod worker restarts the
                    // container and the new instance gets new workers (Kubernetes' "on hold").
                    _manager.OnFailed(new ProbeFailure(_container.PodUid, _container.ContainerName, _container.ContainerId, Kind, result.Message));
                    return false;
            }
        }
    }
}
