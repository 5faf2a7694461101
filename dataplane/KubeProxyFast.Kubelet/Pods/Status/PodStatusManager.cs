using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Client.WorkQueue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Kubelet.Pods.Status;

/// <summary>
/// The kubelet's status manager (Kubernetes' <c>pkg/kubelet/status</c>): keeps the newest status of
/// every pod and writes it through <c>pods/status</c> only when it differs from the one last written
/// (or observed on the API). Writes are keyed by pod UID on a work queue, so updates to one pod
/// coalesce and one pod is never written by two workers at once; at most <c>maxInFlight</c> pods are
/// written together. A stale resourceVersion (409) is retried from a fresh GET; a pod that is gone
/// (404) or whose UID changed is dropped, never re-created. Once the pod worker reports a pod fully
/// stopped (<see cref="PodTerminated"/>) its final status is written and, when the pod is being
/// deleted, the deletion is completed: DELETE with <c>gracePeriodSeconds=0</c> and a UID precondition.
/// Thread-safe.
/// </summary>
public sealed partial class PodStatusManager : IDisposable
{
    private readonly KubeClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxInFlight;
    private readonly RateLimitingQueue<string> _queue;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _pods = new(StringComparer.Ordinal);
    private int _statusWrites;
    private int _conflicts;
    private int _deletions;

    /// <summary>A manager writing through <paramref name="client"/>; call <see cref="RunAsync"/> to start its writers.</summary>
    /// <param name="client">The apiserver client.</param>
    /// <param name="time">The clock of transition times and retry delays.</param>
    /// <param name="logger">Where failures and drops are logged.</param>
    /// <param name="maxInFlight">How many pods are written at the same time.</param>
    public PodStatusManager(KubeClient client, TimeProvider? time = null, ILogger<PodStatusManager>? logger = null, int maxInFlight = 4)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        _client = client;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _maxInFlight = maxInFlight;
        // Retries of one pod: 10 ms doubling to 30 s (an apiserver away for a while is retried at 30 s).
        _queue = new RateLimitingQueue<string>(new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30)), _time);
    }

    /// <summary>Successful <c>pods/status</c> writes so far (tests read it).</summary>
    internal int StatusWrites => Volatile.Read(ref _statusWrites);

    /// <summary>Writes answered 409 Conflict so far.</summary>
    internal int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>Deletions completed so far.</summary>
    internal int Deletions => Volatile.Read(ref _deletions);

    /// <summary>
    /// Runs the writers until <paramref name="cancellationToken"/> is cancelled; writes in flight
    /// then finish or are abandoned with the token.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(static q => ((RateLimitingQueue<string>)q!).ShutDown(), _queue);
        var workers = new Task[_maxInFlight];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    /// <summary>
    /// Records <paramref name="status"/> as the pod's newest and queues its write when it differs
    /// from the newest known. Kubelet-owned conditions keep their transition time while their
    /// status holds, and the start time once set never changes. Returns at once.
    /// </summary>
    /// <param name="pod">The pod (its UID, name, namespace and resourceVersion are used).</param>
    /// <param name="status">Its status, as <see cref="PodStatusBuilder"/> made it; copied.</param>
    public void SetPodStatus(Pod pod, PodStatus status)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(status);
        var uid = UidOf(pod);
        var copy = StatusCopy.Of(status);
        lock (_lock)
        {
            var entry = EntryOf(uid, pod);
            if (entry.Finished)
            {
                return;
            }

            Record(entry, pod, copy);
        }
    }

    /// <summary>
    /// The pod worker has stopped <paramref name="pod"/> for good: containers and sandbox stopped,
    /// volumes cleaned. Writes its final status — every container not already terminated is
    /// terminated (<c>ContainerStatusUnknown</c>, exit 137); a phase not already terminal becomes
    /// Succeeded when every container exited 0, else Failed (Kubernetes' last sync and
    /// <c>TerminatePod</c>) — and, when the pod carries a
    /// deletionTimestamp, deletes it with grace 0 and its UID as precondition. Later statuses of
    /// this UID are ignored once deleted. Returns at once.
    /// </summary>
    /// <param name="pod">The pod that was stopped.</param>
    public void PodTerminated(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var uid = UidOf(pod);
        lock (_lock)
        {
            var entry = EntryOf(uid, pod);
            if (entry.Finished)
            {
                return;
            }

            var final = TerminalStatus.Of(entry.Status ?? pod.Status ?? new PodStatus());
            entry.Terminated = true;
            Record(entry, pod, final);
            // Even an unchanged status is worth a pass: the deletion may still be owed.
            _queue.Add(uid);
        }
    }

    /// <summary>The newest status recorded for the pod with <paramref name="uid"/> (a copy), as the basis of the next one.</summary>
    public bool TryGetPodStatus(string uid, out PodStatus status)
    {
        lock (_lock)
        {
            if (_pods.TryGetValue(uid, out var entry) && entry.Status is { } current)
            {
                status = StatusCopy.Of(current);
                return true;
            }
        }

        status = new PodStatus();
        return false;
    }

    /// <summary>Forgets the pod with <paramref name="uid"/> (it left the node's pods and its worker is done).</summary>
    public void ForgetPod(string uid)
    {
        lock (_lock)
        {
            _pods.Remove(uid);
        }

        _queue.Forget(uid);
    }

    /// <summary>Stops the queue; <see cref="RunAsync"/> returns once its workers are done.</summary>
    public void Dispose()
    {
        _queue.ShutDown();
        _queue.Dispose();
    }

    private static string UidOf(Pod pod) =>
        pod.Metadata.Uid is { Length: > 0 } uid ? uid : throw new ArgumentException("the pod has no metadata.uid", nameof(pod));

    private Entry EntryOf(string uid, Pod pod)
    {
        if (!_pods.TryGetValue(uid, out var entry))
        {
            entry = new Entry(pod);
            _pods[uid] = entry;
        }

        return entry;
    }

    /// <summary>Makes <paramref name="status"/> the pod's newest and queues it when changed. Under the lock.</summary>
    private void Record(Entry entry, Pod pod, PodStatus status)
    {
        var now = StatusTimes.Seconds(_time.GetUtcNow());
        var old = entry.Status ?? pod.Status;
        PodStatusBuilder.KeepTransitionTimes(status, old, now);
        status.StartTime = old?.StartTime ?? status.StartTime ?? now;
        entry.Pod = pod;
        var json = StatusCopy.Json(status);
        if (json == entry.Json)
        {
            return;
        }

        entry.Status = status;
        entry.Json = json;
        if (entry.Written is null && pod.Status is { } observed && StatusCopy.Json(observed) == json)
        {
            // The API already has it: nothing to write.
            entry.Written = json;
            return;
        }

        if (json != entry.Written)
        {
            _queue.Add(UidOf(pod));
        }
    }

    /// <summary>A pod's state here: its newest status, the one last written, and whether it is done for.</summary>
    private sealed class Entry(Pod pod)
    {
        public Pod Pod { get; set; } = pod;

        public PodStatus? Status { get; set; }

        public string? Json { get; set; }

        /// <summary>The JSON of the status last written (or seen on the API).</summary>
        public string? Written { get; set; }

        /// <summary>The resourceVersion our last write returned: fresher than the informer's copy.</summary>
        public string? ResourceVersion { get; set; }

        /// <summary><see cref="PodTerminated"/> was called: the deletion is to be completed.</summary>
        public bool Terminated { get; set; }

        /// <summary>The pod is gone (deleted by us, or 404, or a new UID): nothing more is written.</summary>
        public bool Finished { get; set; }
    }
}
