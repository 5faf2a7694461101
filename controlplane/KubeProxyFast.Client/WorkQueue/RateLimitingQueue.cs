using System.Diagnostics.CodeAnalysis;

namespace KubeProxyFast.Client.WorkQueue;

/// <summary>
/// A work queue of keys as client-go's rate-limiting queue. A key added again before a worker
/// takes it is processed once; a key a worker holds (from <see cref="GetAsync"/> to
/// <see cref="Done"/>) is never handed to another: adds meanwhile are held and queued at
/// <see cref="Done"/>. Keys come out in the order they were first queued.
/// <see cref="AddAfter"/> queues a key later (on the <see cref="TimeProvider"/>);
/// <see cref="AddRateLimited"/> later by its limiter (by default per-key exponential backoff
/// and an overall token bucket); <see cref="Forget"/> after a success resets the key's backoff.
/// <para>
/// After <see cref="ShutDown"/> adds are ignored, keys waiting for their delay are dropped, and
/// <see cref="GetAsync"/> still hands out what is queued, then answers "shutting down".
/// </para>
/// </summary>
/// <typeparam name="TKey">The key, usually <c>namespace/name</c>; compared with its default equality.</typeparam>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue: client-go's rate-limiting queue.")]
public sealed partial class RateLimitingQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<TKey> _queue = new();
    // Keys that need processing: those queued and those added again while being processed.
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Queue<TaskCompletionSource> _getters = new();
    private readonly IRateLimiter<TKey> _limiter;
    private TaskCompletionSource? _drained;
    private bool _shuttingDown;

    /// <summary>A queue whose retries wait as <paramref name="limiter"/> says (client-go's controller default when null).</summary>
    /// <param name="limiter">The retry delays; <see cref="RateLimiters.DefaultController{TKey}"/> on <paramref name="time"/> when null.</param>
    /// <param name="time">The clock of <see cref="AddAfter"/>, of the default limiter and of the metrics' durations.</param>
    /// <param name="metrics">client-go's <c>workqueue_*</c> series for this queue; none recorded when null.</param>
    public RateLimitingQueue(IRateLimiter<TKey>? limiter = null, TimeProvider? time = null, WorkQueueMetrics? metrics = null)
    {
        _time = time ?? TimeProvider.System;
        _origin = _time.GetTimestamp();
        _limiter = limiter ?? RateLimiters.DefaultController<TKey>(_time);
        _timer = _time.CreateTimer(static s => ((RateLimitingQueue<TKey>)s!).AddDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (metrics is not null)
        {
            _metrics = metrics;
            _addedAt = [];
            _takenAt = [];
            _collector = metrics.Registry.OnCollect(CollectUnfinishedWork);
        }
    }

    /// <summary>Keys queued and not yet taken (not those held or waiting for a delay).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>True once <see cref="ShutDown"/> or <see cref="ShutDownWithDrainAsync"/> was called.</summary>
    public bool IsShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    /// <summary>Queues <paramref name="key"/> unless it is already queued; ignored after shutdown.</summary>
    public void Add(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            AddLocked(key);
        }
    }

    /// <summary>
    /// The next key, waiting for one; <c>ShuttingDown</c> is true (and the key default) once the
    /// queue is shut down and empty: the worker should stop. Call <see cref="Done"/> with the key
    /// when finished with it.
    /// </summary>
    public async Task<(TKey Key, bool ShuttingDown)> GetAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            TaskCompletionSource getter;
            lock (_lock)
            {
                if (_queue.TryDequeue(out var key))
                {
                    _processing.Add(key);
                    _dirty.Remove(key);
                    TakenLocked(key);
                    return (key, false);
                }

                if (_shuttingDown)
                {
                    return (default!, true);
                }

                getter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _getters.Enqueue(getter);
            }

            try
            {
                await getter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A key may have been signalled to this getter as it gave up: pass the signal on.
                lock (_lock)
                {
                    if (!getter.TrySetCanceled(cancellationToken))
                    {
                        WakeGetterLocked();
                    }
                }

                throw;
            }
        }
    }

    /// <summary>Ends the processing of <paramref name="key"/>; queues it again if it was added meanwhile.</summary>
    public void Done(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            _processing.Remove(key);
            DoneLocked(key);
            if (_dirty.Contains(key))
            {
                _queue.Enqueue(key);
                WakeGetterLocked();
            }

            if (_processing.Count == 0)
            {
                _drained?.TrySetResult();
            }
        }
    }

    /// <summary>Ignores adds from now on, drops delayed keys, and lets waiting getters answer "shutting down" once the queue is empty.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            ShutDownLocked();
        }
    }

    /// <summary>
    /// As <see cref="ShutDown"/>, then completes once no key is being processed (every key handed
    /// out has had its <see cref="Done"/>). Workers must call Done, or this waits until cancelled.
    /// </summary>
    public Task ShutDownWithDrainAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ShutDownLocked();
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_processing.Count == 0)
            {
                _drained.TrySetResult();
            }

            return _drained.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Shuts down and releases the delay timer; the queue's metrics stop being collected (its
    /// unfinished-work gauges read zero, and the keys it still held leave <c>workqueue_depth</c>,
    /// whose series a later queue of the same name, e.g. the next leader term's, goes on with).
    /// </summary>
    public void Dispose()
    {
        ShutDown();
        _timer.Dispose();
        if (_metrics is not null)
        {
            lock (_lock)
            {
                _metrics.Depth.Add(-_queue.Count);
                _queue.Clear();
            }

            _collector!.Dispose();
            _metrics.UnfinishedWork.Set(0);
            _metrics.LongestRunningProcessor.Set(0);
        }
    }

    private void AddLocked(TKey key)
    {
        if (_shuttingDown || !_dirty.Add(key))
        {
            return;
        }

        AddedLocked(key);

        if (_processing.Contains(key))
        {
            return;
        }

        _queue.Enqueue(key);
        WakeGetterLocked();
    }

    private void WakeGetterLocked()
    {
        // A getter that gave up (cancelled) refuses the signal: the next one gets it.
        while (_getters.TryDequeue(out var getter) && !getter.TrySetResult())
        {
        }
    }

    private void ShutDownLocked()
    {
        if (_shuttingDown)
        {
            return;
        }

        _shuttingDown = true;
        _delayed.Clear();
        _due.Clear();
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        while (_getters.TryDequeue(out var getter))
        {
            getter.TrySetResult();
        }
    }
}
