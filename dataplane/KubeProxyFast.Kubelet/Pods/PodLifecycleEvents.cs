using Grpc.Core;
using KubeProxyFast.Kubelet.Cri.V1;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// The kubelet's relisting lifecycle-event generator (Kubernetes' PLEG): once a
/// <see cref="Period"/> it lists our sandboxes and containers (one CRI call each) and, for every pod
/// whose sandbox or container appeared, changed state or vanished, wakes that pod's worker. This is
/// how an exited container is restarted within a second or two rather than at the next periodic
/// sync, and how its terminated state reaches the status.
/// </summary>
public sealed partial class PodLifecycleEvents : IAsyncDisposable
{
    /// <summary>How often the runtime is relisted, as Kubernetes' generic PLEG.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly RuntimeService.RuntimeServiceClient _runtime;
    private readonly Action<string> _changed;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    // The previous relist and the one being read (sandbox and container ids, which the runtime makes
    // unique across both), swapped after each relist (no maps per second).
    private Dictionary<string, (string Uid, int State)> _last = new(StringComparer.Ordinal);
    private Dictionary<string, (string Uid, int State)> _now = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedUids = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;

    /// <summary>The generator; <paramref name="changed"/> gets the uid of each pod that changed (called from the relist loop: it should only queue work).</summary>
    public PodLifecycleEvents(RuntimeService.RuntimeServiceClient runtime, Action<string> changed, TimeProvider time, ILogger<PodLifecycleEvents> logger)
    {
        _runtime = runtime;
        _changed = changed;
        _time = time;
        _logger = logger;
    }

    /// <summary>Starts relisting in the background.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);

    /// <summary>Lists the runtime once and reports the pods that changed since the previous list.</summary>
    public async Task RelistAsync(CancellationToken ct)
    {
        var sandboxes = await _runtime.ListPodSandboxAsync(new ListPodSandboxRequest
        {
            Filter = new PodSandboxFilter { LabelSelector = { [KubeletLabels.ManagedBy] = "true" } },
        }, cancellationToken: ct).ConfigureAwait(false);
        var containers = await _runtime.ListContainersAsync(new ListContainersRequest
        {
            Filter = new ContainerFilter { LabelSelector = { [KubeletLabels.ManagedBy] = "true" } },
        }, cancellationToken: ct).ConfigureAwait(false);

        var now = _now;
        now.Clear();
        foreach (var sandbox in sandboxes.Items)
        {
            if (sandbox.Labels.TryGetValue(KubeletLabels.PodUid, out var uid))
            {
                now[sandbox.Id] = (uid, (int)sandbox.State);
            }
        }

        foreach (var container in containers.Containers)
        {
            if (container.Labels.TryGetValue(KubeletLabels.PodUid, out var uid))
            {
                now[container.Id] = (uid, (int)container.State);
            }
        }

        var changed = _changedUids;
        changed.Clear();
        foreach (var (id, entry) in now)
        {
            if (!_last.TryGetValue(id, out var before) || before.State != entry.State)
            {
                changed.Add(entry.Uid);
            }
        }

        foreach (var (id, entry) in _last)
        {
            if (!now.ContainsKey(id))
            {
                changed.Add(entry.Uid);
            }
        }

        (_last, _now) = (now, _last);
        foreach (var uid in changed)
        {
            _changed(uid);
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Period, _time, ct).ConfigureAwait(false);
                await RelistAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e)
            {
                // The runtime is down or restarting: the next relist tries again; the node's status says why.
                LogRelistFailed(_logger, e.Status.StatusCode, e.Status.Detail);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(1, LogLevel.Warning, "Relisting the runtime's pods failed: {Code}: {Detail}")]
    private static partial void LogRelistFailed(ILogger logger, StatusCode code, string detail);
}
