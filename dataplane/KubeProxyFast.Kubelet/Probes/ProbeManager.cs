using System.Collections.Concurrent;
using KubeProxyFast.Api.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Kubelet.Probes;

/// <summary>
/// Runs the liveness, readiness and startup probes of the node's running containers and holds
/// their verdicts, keyed by container instance (CRI id), as Kubernetes' prober manager.
/// <para>
/// The pod worker drives it level-based: on every sync it calls <see cref="UpdateContainer"/> for
/// each running container of the pod (with or without probes: that is how a container without a
/// readiness probe is known to be ready), <see cref="RemoveContainer"/> for one that is no longer
/// running, and <see cref="RemovePod"/> when the pod is gone. A new container id for a name
/// replaces the old instance's workers and verdicts, so a restarted container starts over.
/// </para>
/// <para>
/// Verdicts: ready is false until the readiness probe passes <c>successThreshold</c> times in a
/// row, and false again after <c>failureThreshold</c> failures; started is false until the startup
/// probe passes, and liveness and readiness are not probed before. A liveness or startup probe that
/// fails <c>failureThreshold</c> times in a row raises <see cref="LivenessFailed"/> once for that
/// instance. Any change of ready or started raises <see cref="ResultsChanged"/>. Both are raised
/// on a worker's thread under the instance's lock (so none comes after its removal returns) and
/// should only queue work; they may call back into the manager.
/// </para>
/// </summary>
public sealed partial class ProbeManager : IProbeResults, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string PodUid, string ContainerName), ContainerProbes> _containers = [];
    private readonly ConcurrentDictionary<string, ContainerProbes> _byId = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private bool _disposed;
    private int _ticks;
    private int _probes;

    /// <summary>A manager running probes through <paramref name="prober"/>, on <paramref name="time"/> (the system clock by default).</summary>
    public ProbeManager(IProber prober, TimeProvider? time = null, ILogger<ProbeManager>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(prober);
        Prober = prober;
        Time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>A container's liveness or startup probe failed its threshold: restart that instance.</summary>
    public event Action<ProbeFailure>? LivenessFailed;

    /// <summary>A container's ready or started verdict changed; the argument is the pod's UID (re-sync its status).</summary>
    public event Action<string>? ResultsChanged;

    internal IProber Prober { get; }

    internal TimeProvider Time { get; }

    /// <summary>Worker ticks handled so far (probes run or skipped while waiting for the startup probe); for tests.</summary>
    internal int Ticks => Volatile.Read(ref _ticks);

    /// <summary>Probes run so far; for tests.</summary>
    internal int ProbesRun => Volatile.Read(ref _probes);

    /// <summary>Running workers; for tests.</summary>
    internal int Workers
    {
        get
        {
            lock (_lock)
            {
                return _containers.Values.Sum(c => c.Workers.Count(w => !w.Completion.IsCompleted));
            }
        }
    }

    /// <summary>
    /// Says that <paramref name="container"/> of <paramref name="pod"/> runs as instance
    /// <paramref name="containerId"/>, started at <paramref name="startedAt"/>, in a sandbox with
    /// <paramref name="podIP"/>. Starts its probe workers when the instance is new (stopping the
    /// previous instance's); otherwise only updates the pod IP. First probes come
    /// <c>initialDelaySeconds</c> after <paramref name="startedAt"/> (at once when that is past).
    /// </summary>
    public void UpdateContainer(Pod pod, Container container, string containerId, DateTimeOffset startedAt, string? podIP)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        var podUid = pod.Metadata.Uid ?? throw new ArgumentException("the pod has no UID", nameof(pod));
        ContainerProbes? previous = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var key = (podUid, container.Name);
            if (_containers.TryGetValue(key, out var current))
            {
                if (string.Equals(current.ContainerId, containerId, StringComparison.Ordinal))
                {
                    current.SetPodIP(podIP);
                    return;
                }

                previous = current;
                _byId.TryRemove(current.ContainerId, out _);
            }

            var probes = new ContainerProbes(podUid, container, containerId, podIP);
            AddWorker(probes, ProbeKind.Startup, container.StartupProbe);
            AddWorker(probes, ProbeKind.Liveness, container.LivenessProbe);
            AddWorker(probes, ProbeKind.Readiness, container.ReadinessProbe);
            _containers[key] = probes;
            _byId[containerId] = probes;
            var now = Time.GetUtcNow();
            foreach (var worker in probes.Workers)
            {
                var probe = worker.Kind switch
                {
                    ProbeKind.Startup => container.StartupProbe!,
                    ProbeKind.Liveness => container.LivenessProbe!,
                    _ => container.ReadinessProbe!,
                };
                var first = startedAt + ProbeTiming.Of(probe, worker.Kind).InitialDelay - now;
                worker.Start(first > TimeSpan.Zero ? first : TimeSpan.Zero);
            }
        }

        Forget(previous);
    }

    /// <summary>Stops probing <paramref name="containerName"/> of pod <paramref name="podUid"/> (it is no longer running) and forgets its verdicts.</summary>
    public void RemoveContainer(string podUid, string containerName)
    {
        ContainerProbes? removed;
        lock (_lock)
        {
            if (_containers.Remove((podUid, containerName), out removed))
            {
                _byId.TryRemove(removed.ContainerId, out _);
            }
        }

        Forget(removed);
    }

    /// <summary>Stops probing every container of pod <paramref name="podUid"/> and forgets their verdicts.</summary>
    public void RemovePod(string podUid)
    {
        List<ContainerProbes> removed = [];
        lock (_lock)
        {
            foreach (var (key, probes) in _containers)
            {
                if (string.Equals(key.PodUid, podUid, StringComparison.Ordinal))
                {
                    removed.Add(probes);
                }
            }

            foreach (var probes in removed)
            {
                _containers.Remove((podUid, probes.ContainerName));
                _byId.TryRemove(probes.ContainerId, out _);
            }
        }

        foreach (var probes in removed)
        {
            Forget(probes);
        }
    }

    /// <inheritdoc />
    /// <remarks>An instance the manager was not told about counts as having no readiness probe (ready).</remarks>
    public bool IsReady(string containerId) => !_byId.TryGetValue(containerId, out var probes) || probes.Ready;

    /// <inheritdoc />
    /// <remarks>An instance the manager was not told about counts as having no startup probe (started).</remarks>
    public bool IsStarted(string containerId) => !_byId.TryGetValue(containerId, out var probes) || probes.Started;

    /// <summary>Stops every worker and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        List<ContainerProbes> all;
        lock (_lock)
        {
            _disposed = true;
            all = [.. _containers.Values];
            _containers.Clear();
            _byId.Clear();
        }

        await Task.WhenAll(all.Select(c => c.StopAsync())).ConfigureAwait(false);
    }

    internal void CountProbe(bool skipped)
    {
        if (!skipped)
        {
            Interlocked.Increment(ref _probes);
        }

        Interlocked.Increment(ref _ticks);
    }

    /// <summary>Raised under the instance's lock by its worker.</summary>
    internal void OnResultsChanged(ContainerProbes probes) => ResultsChanged?.Invoke(probes.PodUid);

    /// <summary>Raised under the instance's lock by its worker.</summary>
    internal void OnFailed(ProbeFailure failure)
    {
        LogFailed(_logger, failure.PodUid, failure.ContainerName, failure.ContainerId, failure.Kind, failure.Message);
        LivenessFailed?.Invoke(failure);
    }

    internal void LogUnknown(ContainerProbes probes, ProbeKind kind, string message) =>
        LogProbeError(_logger, probes.PodUid, probes.ContainerName, kind, message);

    private void AddWorker(ContainerProbes probes, ProbeKind kind, Probe? probe)
    {
        if (probe is not null)
        {
            probes.Add(new ProbeWorker(this, probes, kind, probe));
        }
    }

    // Not awaited: the caller may be a callback of the very instance being stopped.
    private static void Forget(ContainerProbes? probes) => _ = probes?.StopAsync();

    [LoggerMessage(1, LogLevel.Information, "pod {PodUid} container {Container} ({ContainerId}): {Kind} probe failed, restart: {Message}")]
    private static partial void LogFailed(ILogger logger, string podUid, string container, string containerId, ProbeKind kind, string message);

    [LoggerMessage(2, LogLevel.Warning, "pod {PodUid} container {Container}: {Kind} probe could not run: {Message}")]
    private static partial void LogProbeError(ILogger logger, string podUid, string container, ProbeKind kind, string message);
}
