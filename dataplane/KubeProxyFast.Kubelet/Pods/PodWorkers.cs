using KubeProxyFast.Api.Core;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// One worker per pod uid, each syncing its pod one sync at a time, level-based: a worker always
/// syncs the latest pod it was given (updates that arrive during a sync coalesce into one more
/// sync), again every <see cref="KubeletOptions.SyncFrequency"/>, sooner when the sync asks (a
/// back-off ending), and at once on a kick (a probe result, a liveness failure). After each sync the
/// runtime state goes to the <see cref="IPodStatusSink"/>. <see cref="AdoptAsync"/> at start takes
/// over what the runtime already runs: the workers of known pods find their sandboxes and containers
/// by label (no duplicates), and orphans are removed.
/// </summary>
public sealed partial class PodWorkers : IAsyncDisposable
{
    private static readonly TimeSpan MaxErrorDelay = TimeSpan.FromSeconds(10);

    private readonly PodSyncer _syncer;
    private readonly IPodStatusSink _sink;
    private readonly TimeSpan _syncFrequency;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Worker> _workers = [];
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>Creates the workers (none runs until a pod is given).</summary>
    public PodWorkers(PodSyncer syncer, IPodStatusSink sink, KubeletOptions options, TimeProvider time, ILogger<PodWorkers> logger)
    {
        ArgumentNullException.ThrowIfNull(syncer);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _syncer = syncer;
        _sink = sink;
        _syncFrequency = options.SyncFrequency;
        _time = time;
        _logger = logger;
    }

    /// <summary>The uids that have a worker.</summary>
    public IReadOnlyCollection<string> PodUids
    {
        get
        {
            lock (_lock)
            {
                return _workers.Keys.ToList();
            }
        }
    }

    /// <summary>
    /// Kubelet start: lists what the runtime holds, removes the pods whose uid is not among
    /// <paramref name="pods"/> (gone while the kubelet was down), then hands every pod to its worker,
    /// which finds its existing sandbox and containers by label.
    /// </summary>
    public async Task AdoptAsync(IEnumerable<Pod> pods, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var known = pods.Where(p => p.Metadata.Uid is not null).ToList();
        var orphans = await RemoveOrphansAsync(known.Select(p => p.Metadata.Uid!), ct).ConfigureAwait(false);
        PodsLog.Adopted(_logger, known.Count, orphans);
        foreach (var pod in known)
        {
            UpdatePod(pod);
        }
    }

    /// <summary>
    /// Removes from the runtime every pod that is neither among <paramref name="knownUids"/> nor has a
    /// worker (housekeeping; call at start and now and then). Returns how many were removed.
    /// </summary>
    public async Task<int> RemoveOrphansAsync(IEnumerable<string> knownUids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(knownUids);
        var known = knownUids.ToHashSet();
        var running = await _syncer.RuntimePods.ListAsync(ct).ConfigureAwait(false);
        var orphans = new List<string>();
        foreach (var uid in running.Keys)
        {
            bool hasWorker;
            lock (_lock)
            {
                hasWorker = _workers.ContainsKey(uid);
            }

            if (!known.Contains(uid) && !hasWorker)
            {
                orphans.Add(uid);
            }
        }

        // A pod gone from the API gets no graceful termination any more (its object, and so its
        // grace period, is gone): killed at once (the runtime's minimum), all orphans together so
        // that a start after many force deletions is not held up.
        await Task.WhenAll(orphans.Select(async uid =>
        {
            await _syncer.RemoveAsync(uid, 0, ct).ConfigureAwait(false);
            _sink.PodRemoved(uid);
        })).ConfigureAwait(false);
        return orphans.Count;
    }

    /// <summary>The desired pod changed (added, updated, being deleted): its worker syncs the latest.</summary>
    public void UpdatePod(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var uid = pod.Metadata.Uid ?? throw new ArgumentException("pod has no uid", nameof(pod));
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_workers.TryGetValue(uid, out var worker) || worker.Removed)
            {
                worker = new Worker(uid);
                _workers[uid] = worker;
                worker.Desired = pod;
                worker.Loop = Task.Run(() => RunAsync(worker));
            }

            worker.Desired = pod;
        }

        Kick(uid);
    }

    /// <summary>The pod left the API (or the node): its worker kills and removes everything of it, then ends.</summary>
    public void RemovePod(string uid)
    {
        ArgumentException.ThrowIfNullOrEmpty(uid);
        lock (_lock)
        {
            if (!_workers.TryGetValue(uid, out var worker))
            {
                return;
            }

            worker.Removed = true;
        }

        Kick(uid);
    }

    /// <summary>Syncs the pod now (a probe result changed, something outside the pod's spec moved).</summary>
    public void Kick(string uid)
    {
        Worker? worker;
        lock (_lock)
        {
            _workers.TryGetValue(uid, out worker);
        }

        worker?.Signal();
    }

    /// <summary>The liveness probe of container instance <paramref name="containerId"/> failed: its worker restarts it.</summary>
    public void OnLivenessFailure(string uid, string containerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        Worker? worker;
        lock (_lock)
        {
            _workers.TryGetValue(uid, out worker);
            if (worker is not null)
            {
                worker.LivenessFailed.Add(containerId);
            }
        }

        worker?.Signal();
    }

    /// <summary>Stops every worker (their pods keep running in the runtime: a restarted kubelet adopts them).</summary>
    public async ValueTask DisposeAsync()
    {
        List<Task> loops;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            loops = _workers.Values.Select(w => w.Loop).Where(t => t is not null).Select(t => t!).ToList();
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }
}
