using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Kubelet.Probes;

/// <summary>
/// One running container instance's probe state: its workers and its verdicts. Verdicts change and
/// callbacks fire only under <see cref="Gate"/>, and only while not <see cref="Stopped"/>, so once
/// <see cref="StopAsync"/> returns nothing about this instance is reported any more.
/// </summary>
internal sealed class ContainerProbes : IDisposable
{
    private readonly List<ProbeWorker> _workers = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _ready;
    private volatile bool _started;
    private volatile ProbeTarget _target;

    public ContainerProbes(string podUid, Container container, string containerId, string? podIP)
    {
        PodUid = podUid;
        ContainerName = container.Name;
        ContainerId = containerId;
        _target = new ProbeTarget(containerId, podIP, container.Ports);
        // Kubernetes' initial verdicts: ready only without a readiness probe, started only without a startup probe.
        _ready = container.ReadinessProbe is null;
        _started = container.StartupProbe is null;
    }

    public string PodUid { get; }

    public string ContainerName { get; }

    public string ContainerId { get; }

    public Lock Gate { get; } = new();

    public CancellationToken Stopping => _stop.Token;

    /// <summary>Set under <see cref="Gate"/> by <see cref="StopAsync"/>.</summary>
    public bool Stopped { get; private set; }

    public bool Ready => _ready;

    public bool Started => _started;

    public ProbeTarget Target => _target;

    public IReadOnlyList<ProbeWorker> Workers => _workers;

    public void Add(ProbeWorker worker) => _workers.Add(worker);

    public void SetPodIP(string? podIP)
    {
        if (!string.Equals(_target.PodIP, podIP, StringComparison.Ordinal))
        {
            _target = _target with { PodIP = podIP };
        }
    }

    /// <summary>Sets readiness under <see cref="Gate"/>; true when it changed.</summary>
    public bool SetReady(bool ready)
    {
        var changed = _ready != ready;
        _ready = ready;
        return changed;
    }

    /// <summary>Marks the startup probe passed under <see cref="Gate"/>; true when it changed.</summary>
    public bool SetStarted()
    {
        var changed = !_started;
        _started = true;
        return changed;
    }

    /// <summary>Wakes the readiness worker now (after the startup probe passes), as Kubernetes' manual trigger.</summary>
    public void TriggerReadiness()
    {
        foreach (var worker in _workers)
        {
            if (worker.Kind == ProbeKind.Readiness)
            {
                worker.Trigger();
            }
        }
    }

    /// <summary>
    /// Stops reporting at once (waiting for a callback in progress) and cancels the workers; the
    /// task ends when their loops have. Never awaited under a callback: a callback may stop the
    /// very instance it reports on.
    /// </summary>
    public async Task StopAsync()
    {
        lock (Gate)
        {
            if (Stopped)
            {
                return;
            }

            Stopped = true;
            _stop.Cancel();
        }

        await Task.WhenAll(_workers.Select(w => w.Completion)).ConfigureAwait(false);
        Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();
}
