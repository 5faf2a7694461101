using System.Collections.Concurrent;
using KubeProxyFast.Client.LeaderElection;

namespace KubeProxyFast.Client.Tests.LeaderElection;

/// <summary>One candidate of a test election: its elector, and what its callbacks reported.</summary>
internal sealed class Candidate
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _workToken;

    public Candidate(KubeClient client, LeaderElectionConfig config)
    {
        Elector = new LeaderElector(client, config with
        {
            OnStartedLeading = async token =>
            {
                _workToken = token;
                _started.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            },
            OnStoppedLeading = () =>
            {
                StoppedAt = DateTimeOffset.UtcNow;
                _stopped.TrySetResult();
            },
            OnNewLeader = Leaders.Enqueue,
        });
    }

    public LeaderElector Elector { get; }

    /// <summary>Every holder reported to OnNewLeader, in order.</summary>
    public ConcurrentQueue<string> Leaders { get; } = new();

    /// <summary>When OnStoppedLeading ran.</summary>
    public DateTimeOffset? StoppedAt { get; private set; }

    /// <summary>True once the leading work's token was cancelled.</summary>
    public bool WorkCancelled => _workToken.IsCancellationRequested;

    public Task Started(TimeSpan within) => _started.Task.WaitAsync(within);

    public Task Stopped(TimeSpan within) => _stopped.Task.WaitAsync(within);
}
