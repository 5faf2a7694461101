using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Cri.V1;
using ContainerState = KubeProxyFast.Kubelet.Cri.V1.ContainerState;
using Microsoft.Extensions.Logging;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// What one sync of a pod decided beyond the runtime's state: when to look again (a back-off
/// ending, an image pull to retry) and whether the pod is now fully terminated.
/// </summary>
/// <param name="State">The runtime state after the sync, as reported to the status sink.</param>
/// <param name="RequeueAfter">Sync again this soon (sooner than the periodic resync); null for the periodic one.</param>
/// <param name="Terminated">The pod is being deleted and nothing of it runs any more.</param>
public sealed record PodSyncResult(PodRuntimeState State, TimeSpan? RequeueAfter, bool Terminated);

/// <summary>
/// Brings the runtime in line with one pod (Kubernetes' <c>SyncPod</c> of kuberuntime): a ready
/// sandbox (a new one, attempt + 1, recreates the containers), each container's image, create and
/// start of the containers that should run by the restart policy and CrashLoopBackOff, restarts on
/// liveness failure or a changed spec; graceful termination when the pod is being deleted; removal
/// of a pod gone from the API. Stateless across pods except the back-off; called by
/// PodWorkers, one call at a time per pod.
/// </summary>
public sealed partial class PodSyncer
{
    /// <summary>Kubernetes' floor for a kill's grace period (<c>minimumGracePeriodInSeconds</c>).</summary>
    public const long MinimumGracePeriodSeconds = 2;

    // An image that cannot be had yet: look again soon (the image manager keeps its own back-off).
    private static readonly TimeSpan ImageRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ConfigRetry = TimeSpan.FromSeconds(5);

    private readonly RuntimeService.RuntimeServiceClient _runtime;
    private readonly RuntimePods _pods;
    private readonly EnsureImage _ensureImage;
    private readonly SandboxConfigBuilder _sandboxes;
    private readonly ContainerConfigBuilder _containers;
    private readonly IPodConfigSource _config;
    private readonly KubeletOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the syncer over a CRI runtime.</summary>
    /// <param name="runtime">The CRI runtime service.</param>
    /// <param name="ensureImage">Makes images present (ImageManager.EnsureImageAsync).</param>
    /// <param name="config">DNS, env, mounts, resources of pods (PodConfig).</param>
    /// <param name="options">The kubelet's options (data directory, cgroup root).</param>
    /// <param name="time">The clock of the back-off.</param>
    /// <param name="logger">Where lifecycle events are logged.</param>
    /// <param name="backoff">The CrashLoopBackOff to use; Kubernetes' figures on <paramref name="time"/> when null.</param>
    public PodSyncer(
        RuntimeService.RuntimeServiceClient runtime,
        EnsureImage ensureImage,
        IPodConfigSource config,
        KubeletOptions options,
        TimeProvider time,
        ILogger<PodSyncer> logger,
        ContainerBackoff? backoff = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(ensureImage);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _runtime = runtime;
        _pods = new RuntimePods(runtime);
        _ensureImage = ensureImage;
        _config = config;
        _options = options;
        _time = time;
        _logger = logger;
        _sandboxes = new SandboxConfigBuilder(options, config);
        _containers = new ContainerConfigBuilder(config);
        Backoff = backoff ?? new ContainerBackoff(time);
    }

    /// <summary>The CrashLoopBackOff of every container on the node.</summary>
    public ContainerBackoff Backoff { get; }

    /// <summary>The runtime reader this syncer uses.</summary>
    public RuntimePods RuntimePods => _pods;

    /// <summary>
    /// Syncs <paramref name="pod"/>: runs it, or terminates it when it is being deleted.
    /// <paramref name="livenessFailed"/> are container ids whose liveness probe failed (restarted now).
    /// </summary>
    public async Task<PodSyncResult> SyncAsync(Pod pod, IReadOnlyCollection<string> livenessFailed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(livenessFailed);
        var uid = pod.Metadata.Uid ?? throw new ArgumentException("pod has no uid", nameof(pod));
        var current = await _pods.GetAsync(uid, pod.Metadata.Name ?? "", pod.Metadata.Namespace ?? "", ct).ConfigureAwait(false);
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            return await TerminateAsync(pod, current, ct).ConfigureAwait(false);
        }

        var waiting = new Dictionary<string, ContainerWaiting>();
        TimeSpan? requeue = null;
        var specs = pod.Spec?.Containers ?? [];
        var sandbox = current.Sandbox;
        PodSandboxConfig sandboxConfig;
        if (sandbox is null || sandbox.State != PodSandboxState.SandboxReady)
        {
            if (sandbox is not null && IsDone(pod, current))
            {
                // Every container has finished for good: the pod needs no new sandbox.
                return new PodSyncResult(StateOf(current, waiting), null, false);
            }

            var attempt = sandbox is null ? 0u : sandbox.Metadata.Attempt + 1;
            await KillContainersAsync(pod, current, GracePeriod(pod), "the pod's sandbox is recreated", ct).ConfigureAwait(false);
            await StopSandboxesAsync(current, ct).ConfigureAwait(false);
            sandboxConfig = _sandboxes.Build(pod, attempt);
            Directory.CreateDirectory(sandboxConfig.LogDirectory);
            var created = await _runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = sandboxConfig }, cancellationToken: ct).ConfigureAwait(false);
            PodsLog.SandboxCreated(_logger, pod.Metadata.Namespace, pod.Metadata.Name, created.PodSandboxId, attempt);
            current = await _pods.GetAsync(uid, pod.Metadata.Name ?? "", pod.Metadata.Namespace ?? "", ct).ConfigureAwait(false);
        }
        else
        {
            sandboxConfig = _sandboxes.Build(pod, sandbox.Metadata.Attempt);
        }

        var sandboxId = current.Sandbox?.Id ?? throw new InvalidOperationException($"pod {Describe(pod)}: the new sandbox is not listed by the runtime");
        var podIp = current.Sandbox.Network?.Ip;
        foreach (var container in specs)
        {
            var next = await SyncContainerAsync(pod, container, current, sandboxId, sandboxConfig, podIp, livenessFailed, waiting, ct).ConfigureAwait(false);
            if (next is { } n && (requeue is null || n < requeue))
            {
                requeue = n;
            }
        }

        current = await _pods.GetAsync(uid, pod.Metadata.Name ?? "", pod.Metadata.Namespace ?? "", ct).ConfigureAwait(false);
        await RemoveOldInstancesAsync(current, ct).ConfigureAwait(false);
        return new PodSyncResult(StateOf(current, waiting), requeue, false);
    }

    /// <summary>The pod's runtime state now, without changing anything.</summary>
    public async Task<PodRuntimeState> ObserveAsync(Pod pod, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var current = await _pods.GetAsync(pod.Metadata.Uid ?? "", pod.Metadata.Name ?? "", pod.Metadata.Namespace ?? "", ct).ConfigureAwait(false);
        return StateOf(current, new Dictionary<string, ContainerWaiting>());
    }

    private static PodRuntimeState StateOf(RuntimePod pod, Dictionary<string, ContainerWaiting> waiting) =>
        new(pod.Sandbox, pod.Containers, waiting);

    /// <summary>Whether the restart policy restarts a container that exited with <paramref name="exitCode"/>.</summary>
    public static bool ShouldRestart(Pod pod, int exitCode)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return (pod.Spec?.RestartPolicy ?? RestartPolicies.Always) switch
        {
            RestartPolicies.Never => false,
            RestartPolicies.OnFailure => exitCode != 0,
            _ => true,
        };
    }

    // Every container of the spec ran and exited, and none is to be restarted.
    private static bool IsDone(Pod pod, RuntimePod current)
    {
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            var newest = current.Newest(container.Name);
            if (newest is null || newest.State is ContainerState.ContainerRunning or ContainerState.ContainerCreated || ShouldRestart(pod, newest.ExitCode))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The grace period of a kill: deletionGracePeriodSeconds, else terminationGracePeriodSeconds, at least 2 s (Kubernetes).</summary>
    public static long GracePeriod(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var grace = pod.Metadata.DeletionGracePeriodSeconds ?? SandboxConfigBuilder.GracePeriodSeconds(pod);
        return Math.Max(grace, MinimumGracePeriodSeconds);
    }

    internal static string Describe(Pod pod) => $"{pod.Metadata.Namespace}/{pod.Metadata.Name}";

    internal static DateTimeOffset FromNanos(long nanos) => DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);

    private static Container? SpecOf(Pod pod, string name) =>
        pod.Spec?.Containers?.FirstOrDefault(c => c.Name == name);
}
