using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler.Queue;

/// <summary>
/// Kubernetes' scheduling queue (<c>PriorityQueue</c>): activeQ ordered by priority then timestamp;
/// backoffQ ordered by backoff expiry (initial backoff doubling per attempt up to the maximum);
/// unschedulable pods, moved back to activeQ (or backoffQ while backing off) by cluster events
/// (node added or changed, a bound pod deleted) and by the periodic flush once they have waited
/// <c>podMaxInUnschedulablePodsDuration</c>. A pod that failed while an event arrived during its
/// cycle goes to backoffQ, not unschedulable (Kubernetes' move request cycle), so the event is not lost.
/// Thread-safe; heaps with versioned entries so removal is O(1) and stale entries are skipped.
/// </summary>
internal sealed class SchedulingQueue
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _initialBackoff;
    private readonly TimeSpan _maxBackoff;
    private readonly TimeSpan _maxUnschedulable;
    private readonly Dictionary<string, QueuedPod> _pods = new(StringComparer.Ordinal);
    private readonly PriorityQueue<(QueuedPod Pod, long Version), (int NegPriority, long Ticks, long Version)> _active = new();
    private readonly PriorityQueue<(QueuedPod Pod, long Version), long> _backoff = new();
    private readonly Dictionary<string, QueuedPod> _unschedulable = new(StringComparer.Ordinal);
    private long _versions;
    private long _schedulingCycle;
    private long _moveRequestCycle = -1;
    private int _activeCount;
    private int _backoffCount;
    private TaskCompletionSource _activeSignal = NewSignal();
    private bool _closed;

    /// <summary>A queue on <paramref name="time"/> with the given backoff bounds.</summary>
    public SchedulingQueue(TimeProvider time, TimeSpan initialBackoff, TimeSpan maxBackoff, TimeSpan maxUnschedulable)
    {
        _time = time;
        _initialBackoff = initialBackoff;
        _maxBackoff = maxBackoff;
        _maxUnschedulable = maxUnschedulable;
    }

    /// <summary>Pods in activeQ, backoffQ and unschedulable (the <c>scheduler_pending_pods</c> gauge).</summary>
    public (int Active, int Backoff, int Unschedulable) Counts()
    {
        lock (_lock)
        {
            return (_activeCount, _backoffCount, _unschedulable.Count);
        }
    }

    /// <summary>A new unbound pod: into activeQ.</summary>
    public void Add(PodInfo pod)
    {
        lock (_lock)
        {
            if (_pods.TryGetValue(pod.Key, out var existing))
            {
                existing.Info = pod;
                return;
            }

            var queued = new QueuedPod(pod, _time.GetUtcNow());
            _pods.Add(pod.Key, queued);
            PushActive(queued);
        }
    }

    /// <summary>An unbound pod changed: keeps its place, with the new info; an unschedulable one is retried (its spec may now fit).</summary>
    public void Update(PodInfo pod)
    {
        lock (_lock)
        {
            if (!_pods.TryGetValue(pod.Key, out var queued))
            {
                Add(pod);
                return;
            }

            queued.Info = pod;
            if (queued.Location == QueueLocation.Unschedulable)
            {
                _unschedulable.Remove(pod.Key);
                MoveLocked(queued, _time.GetUtcNow());
            }
        }
    }

    /// <summary>The pod is gone (deleted or bound by someone): it is never handed out again.</summary>
    public void Delete(string key)
    {
        lock (_lock)
        {
            if (!_pods.Remove(key, out var queued))
            {
                return;
            }

            switch (queued.Location)
            {
                case QueueLocation.Active:
                    _activeCount--;
                    break;
                case QueueLocation.Backoff:
                    _backoffCount--;
                    break;
                case QueueLocation.Unschedulable:
                    _unschedulable.Remove(key);
                    break;
            }

            queued.Location = QueueLocation.InFlight;
            queued.Version = -1;
        }
    }

    /// <summary>Whether the pod of <paramref name="key"/> is still queued or in flight (not deleted).</summary>
    public bool Contains(string key)
    {
        lock (_lock)
        {
            return _pods.ContainsKey(key);
        }
    }

    /// <summary>Waits for the head of activeQ; null once the queue is closed.</summary>
    public async Task<(QueuedPod Pod, long Cycle)?> PopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            lock (_lock)
            {
                if (_closed)
                {
                    return null;
                }

                while (_active.TryDequeue(out var entry, out _))
                {
                    if (entry.Pod.Location != QueueLocation.Active || entry.Pod.Version != entry.Version)
                    {
                        continue;
                    }

                    _activeCount--;
                    entry.Pod.Location = QueueLocation.InFlight;
                    entry.Pod.Attempts++;
                    return (entry.Pod, ++_schedulingCycle);
                }

                if (_activeSignal.Task.IsCompleted)
                {
                    _activeSignal = NewSignal();
                }

                signal = _activeSignal.Task;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The pod popped in <paramref name="cycle"/> failed: into backoffQ when a cluster event came
    /// during its cycle (or it failed for an error, <paramref name="unschedulable"/> false), else unschedulable.
    /// </summary>
    public void AddFailed(QueuedPod pod, long cycle, bool unschedulable)
    {
        lock (_lock)
        {
            if (!_pods.TryGetValue(pod.Info.Key, out var current) || current != pod || pod.Location != QueueLocation.InFlight)
            {
                return;
            }

            pod.Timestamp = _time.GetUtcNow();
            if (!unschedulable || _moveRequestCycle >= cycle)
            {
                PushBackoff(pod);
            }
            else
            {
                pod.Location = QueueLocation.Unschedulable;
                _unschedulable[pod.Info.Key] = pod;
            }
        }
    }

    /// <summary>The pod popped was scheduled (assumed): it leaves the queue.</summary>
    public void Done(string key)
    {
        lock (_lock)
        {
            if (_pods.TryGetValue(key, out var queued) && queued.Location == QueueLocation.InFlight)
            {
                _pods.Remove(key);
            }
        }
    }

    /// <summary>Kubernetes' <c>MoveAllToActiveOrBackoffQueue</c>: a cluster event may make unschedulable pods fit.</summary>
    public void MoveAllToActiveOrBackoff()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            foreach (var pod in _unschedulable.Values)
            {
                MoveLocked(pod, now);
            }

            _unschedulable.Clear();
            _moveRequestCycle = _schedulingCycle;
        }
    }

    /// <summary>Moves pods whose backoff ended to activeQ, and unschedulable pods that waited too long (the periodic flushes).</summary>
    public void Flush()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            while (_backoff.TryPeek(out var entry, out var expiry))
            {
                if (entry.Pod.Location == QueueLocation.Backoff && entry.Pod.Version == entry.Version)
                {
                    if (expiry > now.UtcTicks)
                    {
                        break;
                    }

                    _backoffCount--;
                    PushActive(entry.Pod);
                }

                _backoff.Dequeue();
            }

            List<QueuedPod>? stale = null;
            foreach (var pod in _unschedulable.Values)
            {
                if (now - pod.Timestamp >= _maxUnschedulable)
                {
                    (stale ??= []).Add(pod);
                }
            }

            foreach (var pod in stale ?? [])
            {
                _unschedulable.Remove(pod.Info.Key);
                MoveLocked(pod, now);
            }
        }
    }

    /// <summary>Ends <see cref="PopAsync"/> for every waiter.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _activeSignal.TrySetResult();
        }
    }

    /// <summary>Kubernetes' <c>calculateBackoffDuration</c>: initial, doubled per attempt after the first, at most the maximum.</summary>
    internal TimeSpan Backoff(int attempts)
    {
        var duration = _initialBackoff;
        for (var i = 1; i < attempts; i++)
        {
            duration *= 2;
            if (duration >= _maxBackoff)
            {
                return _maxBackoff;
            }
        }

        return duration;
    }

    private void MoveLocked(QueuedPod pod, DateTimeOffset now)
    {
        if (pod.Timestamp + Backoff(pod.Attempts) > now)
        {
            PushBackoff(pod);
        }
        else
        {
            PushActive(pod);
        }
    }

    private void PushActive(QueuedPod pod)
    {
        pod.Location = QueueLocation.Active;
        pod.Version = ++_versions;
        _active.Enqueue((pod, pod.Version), (-pod.Info.Priority, pod.Timestamp.UtcTicks, pod.Version));
        _activeCount++;
        _activeSignal.TrySetResult();
    }

    private void PushBackoff(QueuedPod pod)
    {
        pod.Location = QueueLocation.Backoff;
        pod.Version = ++_versions;
        _backoff.Enqueue((pod, pod.Version), (pod.Timestamp + Backoff(pod.Attempts)).UtcTicks);
        _backoffCount++;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
