using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Client.Runner;

/// <summary>
/// Runs one sync function, serialized, at a bounded frequency, as kube-proxy's bounded-frequency
/// runner: <see cref="Run"/> asks for a run and returns at once (asks made before the run starts
/// are one run); starts of runs are at least <c>minInterval</c> apart beyond a burst (a token
/// bucket of <c>burst</c> tokens refilled at one per <c>minInterval</c>); a run happens at the
/// latest <c>maxInterval</c> after the previous one ended even if nobody asked;
/// <see cref="RetryAfter"/> brings the next run forward. Every wait is a timer of the
/// <see cref="TimeProvider"/>: no polling.
/// <para>
/// A run fails when the function throws (logged) or calls <see cref="RetryAfter"/>: the next run
/// is then at the retry time, or at <c>maxInterval</c> when none was asked for. A failure never
/// ends <see cref="LoopAsync"/>. <see cref="WaitIdleAsync"/> completes when nothing asked for is
/// left: no run asked for or running, no failed run owing a retry.
/// </para>
/// </summary>
public sealed class BoundedFrequencyRunner
{
    // Timers longer than this are re-armed when they fire: ITimer refuses due times past ~49 days.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly Func<CancellationToken, Task> _sync;
    private readonly TimeSpan _maxInterval;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly TokenBucket _bucket;
    private TaskCompletionSource _idle = NewSignal();
    private TaskCompletionSource? _wake;
    private TimeSpan _nextPeriodic;
    private TimeSpan? _retryAt;
    private bool _requested;
    private bool _running;
    private bool _failed;
    private int _looping;
    private volatile bool _waiting;

    /// <summary>A runner of <paramref name="sync"/>; nothing runs until <see cref="LoopAsync"/>.</summary>
    /// <param name="name">Names the runner in logs (e.g. <c>sync-runner</c>).</param>
    /// <param name="sync">The function; it gets the loop's token and is never run twice at once.</param>
    /// <param name="minInterval">Least time between starts of runs beyond the burst; zero for no limit.</param>
    /// <param name="maxInterval">Longest time from the end of one run to the start of the next.</param>
    /// <param name="burst">Runs that may start back to back before <paramref name="minInterval"/> applies (at least 1).</param>
    /// <param name="time">The clock of every wait; the system's when null.</param>
    /// <param name="logger">Where failed runs are reported; nowhere when null.</param>
    public BoundedFrequencyRunner(
        string name, Func<CancellationToken, Task> sync, TimeSpan minInterval, TimeSpan maxInterval, int burst,
        TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentOutOfRangeException.ThrowIfLessThan(minInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        if (maxInterval <= TimeSpan.Zero || maxInterval < minInterval)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxInterval), maxInterval, $"{name}: maxInterval must be positive and at least minInterval ({minInterval})");
        }

        Name = name;
        _sync = sync;
        _maxInterval = maxInterval;
        _time = time ?? TimeProvider.System;
        _origin = _time.GetTimestamp();
        _logger = logger ?? NullLogger.Instance;
        _bucket = new TokenBucket(minInterval, burst, Now);
        _idle.SetResult();
    }

    /// <summary>The runner's name, as given.</summary>
    public string Name { get; }

    /// <summary>True while <see cref="LoopAsync"/> waits for a timer or an ask with nothing due (for tests driving a fake clock).</summary>
    internal bool IsWaiting => _waiting;

    private TimeSpan Now => _time.GetElapsedTime(_origin);

    /// <summary>Asks for a run as soon as the minimum interval allows; returns at once.</summary>
    public void Run()
    {
        lock (_lock)
        {
            _requested = true;
            UpdateIdle();
            WakeLocked();
        }
    }

    /// <summary>
    /// Asks for a run at the latest <paramref name="interval"/> from now (the earliest of several
    /// asks wins; one later than the periodic run changes nothing). Called from inside a run, it
    /// marks that run failed. The minimum interval still applies.
    /// </summary>
    public void RetryAfter(TimeSpan interval)
    {
        var at = Now + (interval > TimeSpan.Zero ? interval : TimeSpan.Zero);
        lock (_lock)
        {
            if (_retryAt is null || at < _retryAt)
            {
                _retryAt = at;
            }

            UpdateIdle();
            WakeLocked();
        }
    }

    /// <summary>
    /// Completes when nothing asked for is pending: no run asked for or running, no failed run
    /// owing a retry. While the loop is stopped with something pending, it waits until cancelled.
    /// </summary>
    public Task WaitIdleAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Runs the function as asked and as the intervals require until <paramref name="cancellationToken"/>
    /// is cancelled, then returns (without throwing) once a run in progress has returned. One loop at a time.
    /// </summary>
    public async Task LoopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _looping, 1) != 0)
        {
            throw new InvalidOperationException($"{Name}: the loop is already running");
        }

        try
        {
            using var timer = _time.CreateTimer(static s => ((BoundedFrequencyRunner)s!).Wake(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            using var stop = cancellationToken.UnsafeRegister(static s => ((BoundedFrequencyRunner)s!).Wake(), this);
            lock (_lock)
            {
                _nextPeriodic = Now + _maxInterval;
            }

            while (true)
            {
                Task? wake = null;
                lock (_lock)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }

                    var now = Now;
                    var wait = TimeToNextRun(now);
                    if (wait <= TimeSpan.Zero && _bucket.TryTake(now))
                    {
                        // This run covers every ask so far; asks made while it runs are the next one.
                        _requested = false;
                        _retryAt = null;
                        _failed = false;
                        _running = true;
                    }
                    else
                    {
                        _wake = NewSignal();
                        wake = _wake.Task;
                        _waiting = true;
                        timer.Change(wait < LongestWait ? wait : LongestWait, Timeout.InfiniteTimeSpan);
                    }
                }

                if (wake is not null)
                {
                    await wake.ConfigureAwait(false);
                    continue;
                }

                if (!await RunOnceAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _looping, 0);
        }
    }

    /// <summary>Runs the function once; false when the loop was cancelled during the run.</summary>
    private async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var failed = false;
        try
        {
            await _sync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            failed = true;
        }
#pragma warning disable CA1031 // a failed sync is retried; it must not end the loop that every later sync depends on
        catch (Exception e)
#pragma warning restore CA1031
        {
            failed = true;
            RunnerLog.RunFailed(_logger, Name, e);
        }

        lock (_lock)
        {
            _running = false;
            _failed = failed || _retryAt is not null;
            _nextPeriodic = Now + _maxInterval;
            UpdateIdle();
        }

        return !cancellationToken.IsCancellationRequested;
    }

    /// <summary>Time until the next run is due, ignoring the bucket; then at least the bucket's wait.</summary>
    private TimeSpan TimeToNextRun(TimeSpan now)
    {
        var due = _requested ? now : _nextPeriodic;
        if (_retryAt is { } retry && retry < due)
        {
            due = retry;
        }

        var wait = due - now;
        var token = _bucket.AvailableIn(now);
        return token > wait ? token : wait;
    }

    private void Wake()
    {
        lock (_lock)
        {
            WakeLocked();
        }
    }

    private void WakeLocked()
    {
        _waiting = false;
        _wake?.TrySetResult();
    }

    private void UpdateIdle()
    {
        var idle = !_requested && !_running && !_failed && _retryAt is null;
        if (idle)
        {
            _idle.TrySetResult();
        }
        else if (_idle.Task.IsCompleted)
        {
            _idle = NewSignal();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
