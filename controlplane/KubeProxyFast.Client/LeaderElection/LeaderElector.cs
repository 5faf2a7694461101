using KubeProxyFast.Api.Coordination;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Client.LeaderElection;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease through the API only, as client-go's
/// <c>leaderelection</c>: candidates read the lease every retry period and take it (create, or
/// update with its resourceVersion, so two can never both win) once its holder has not renewed it
/// for its lease duration, as measured on their own clock from when they saw it change; the
/// leader renews every retry period and steps down — cancelling its work — when it has gone a
/// renew deadline without a successful renewal, which is before anyone else may take over.
/// </summary>
public sealed partial class LeaderElector
{
    private readonly KubeClient _client;
    private readonly LeaderElectionConfig _config;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _leaseSeconds;

    // What this candidate last saw of the lease, and when (on its own clock) it last saw it change.
    private LeaseSpec? _observed;
    private DateTimeOffset _observedTime;
    private string? _reportedLeader;

    // Leading until this instant (UTC ticks): the send time of the last successful renewal plus the renew deadline.
    private long _leadingUntilTicks;
    private volatile bool _leading;
    private int _running;

    /// <summary>A candidate that talks to the apiserver through <paramref name="client"/>.</summary>
    /// <exception cref="ArgumentException">The configuration is incomplete or its durations are inconsistent.</exception>
    public LeaderElector(KubeClient client, LeaderElectionConfig config, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _client = client;
        _config = config;
        _time = config.Time;
        _logger = logger ?? NullLogger.Instance;
        _leaseSeconds = (int)Math.Ceiling(config.LeaseDuration.TotalSeconds);
    }

    /// <summary>This candidate's identity.</summary>
    public string Identity => _config.Identity;

    /// <summary>
    /// True while this candidate leads: it holds the lease and its last renewal is within the
    /// renew deadline. Read from the clock at each call, so it turns false at the deadline even
    /// before the election loop has noticed.
    /// </summary>
    public bool IsLeader => _leading && _time.GetUtcNow().UtcTicks < Volatile.Read(ref _leadingUntilTicks);

    /// <summary>The holder this candidate last saw in the lease; null before the first read or when nobody holds it.</summary>
    public string? Leader => Volatile.Read(ref _reportedLeader);

    /// <summary>
    /// Campaigns until this candidate leads, runs <see cref="LeaderElectionConfig.OnStartedLeading"/>
    /// and renews until leadership is lost or <paramref name="cancellationToken"/> is cancelled;
    /// then stops the work, releases the lease when <see cref="LeaderElectionConfig.ReleaseOnCancel"/>
    /// and calls <see cref="LeaderElectionConfig.OnStoppedLeading"/>. Returns after one term (or when
    /// cancelled before leading), as client-go's <c>Run</c>: call it again to stand again.
    /// </summary>
    /// <exception cref="InvalidOperationException">The elector is already running.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"the leader elector of {_config.Identity} is already running");
        }

        try
        {
            if (!await AcquireAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await LeadAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>Tries every retry period (with jitter) until the lease is ours; false when cancelled first.</summary>
    private async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // An attempt is bounded as a renewal is: a hanging request must not hold the campaign.
            using var attempt = new CancellationTokenSource(_config.RenewDeadline, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(attempt.Token, cancellationToken);
            if (await TryAcquireOrRenewAsync(linked.Token, cancellationToken).ConfigureAwait(false))
            {
                Log.Acquired(_logger, _config.Namespace, _config.Name, _config.Identity);
                return true;
            }

            var wait = _config.RetryPeriod * (1 + (Random.Shared.NextDouble() * LeaderElectionConfig.JitterFactor));
            if (!await DelayAsync(wait, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>One term: the work runs while the renew loop keeps the lease; then everything is stopped in order.</summary>
    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        _leading = true;
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var leading = RunWorkAsync(work.Token);
        try
        {
            await RenewAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _leading = false;
            await work.CancelAsync().ConfigureAwait(false);
            await leading.ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested && _config.ReleaseOnCancel)
            {
                await ReleaseAsync().ConfigureAwait(false);
            }

            _config.OnStoppedLeading?.Invoke();
        }
    }

    private async Task RunWorkAsync(CancellationToken token)
    {
        if (_config.OnStartedLeading is not { } work)
        {
            return;
        }

        try
        {
            // Off the election loop: the work may run for the whole term.
            await Task.Run(() => work(token), CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopped because leadership ended.
        }
        catch (Exception e)
        {
            Log.WorkFailed(_logger, _config.Identity, e);
        }
    }

    /// <summary>Renews every retry period; returns when a renew deadline passes without success (lost) or when cancelled.</summary>
    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        while (await DelayAsync(_config.RetryPeriod, cancellationToken).ConfigureAwait(false))
        {
            while (true)
            {
                var left = LeftToDeadline();
                if (left <= TimeSpan.Zero)
                {
                    Log.Lost(_logger, _config.Namespace, _config.Name, _config.Identity, _config.RenewDeadline);
                    return;
                }

                // The attempt may not outlive the deadline: a hanging request must not keep a deposed leader leading.
                using var attempt = new CancellationTokenSource(left, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(attempt.Token, cancellationToken);
                if (await TryAcquireOrRenewAsync(linked.Token, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                var wait = LeftToDeadline();
                if (wait > _config.RetryPeriod)
                {
                    wait = _config.RetryPeriod;
                }

                if (wait > TimeSpan.Zero && !await DelayAsync(wait, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    private TimeSpan LeftToDeadline() =>
        TimeSpan.FromTicks(Volatile.Read(ref _leadingUntilTicks) - _time.GetUtcNow().UtcTicks);

    /// <summary>Waits on the configured clock; false when cancelled.</summary>
    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void ReportLeader(string? holder)
    {
        if (string.IsNullOrEmpty(holder) || holder == _reportedLeader)
        {
            return;
        }

        Volatile.Write(ref _reportedLeader, holder);
        _config.OnNewLeader?.Invoke(holder);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "lease {Namespace}/{Name}: {Identity} acquired it and leads")]
        public static partial void Acquired(ILogger logger, string @namespace, string name, string identity);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "lease {Namespace}/{Name}: {Identity} could not renew it within {Deadline} and stops leading")]
        public static partial void Lost(ILogger logger, string @namespace, string name, string identity, TimeSpan deadline);

        [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "lease {Namespace}/{Name}: {Identity} could not acquire or renew it")]
        public static partial void AttemptFailed(ILogger logger, string @namespace, string name, string identity, Exception exception);

        [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "{Identity}: the leading work failed")]
        public static partial void WorkFailed(ILogger logger, string identity, Exception exception);

        [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "lease {Namespace}/{Name}: {Identity} could not release it")]
        public static partial void ReleaseFailed(ILogger logger, string @namespace, string name, string identity, Exception exception);
    }
}
