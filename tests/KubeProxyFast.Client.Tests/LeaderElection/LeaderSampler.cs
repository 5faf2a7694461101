using KubeProxyFast.Client.LeaderElection;

namespace KubeProxyFast.Client.Tests.LeaderElection;

/// <summary>Samples every few milliseconds how many of the electors say they lead, and counts the instants where two did.</summary>
internal sealed class LeaderSampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _overlaps;
    private int _samples;

    public LeaderSampler(IReadOnlyList<LeaderElector> electors)
        : this(() => electors)
    {
    }

    public LeaderSampler(Func<IReadOnlyList<LeaderElector?>> electors)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var leading = 0;
                foreach (var elector in electors())
                {
                    leading += elector?.IsLeader == true ? 1 : 0;
                }

                if (leading > 1)
                {
                    Interlocked.Increment(ref _overlaps);
                }

                Interlocked.Increment(ref _samples);
                try
                {
                    await Task.Delay(5, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    /// <summary>Samples where more than one elector led.</summary>
    public int Overlaps => Volatile.Read(ref _overlaps);

    /// <summary>Samples taken.</summary>
    public int Samples => Volatile.Read(ref _samples);

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
    }
}
