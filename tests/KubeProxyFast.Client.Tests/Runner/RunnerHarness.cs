using System.Collections.Concurrent;
using KubeProxyFast.Client.Runner;
using KubeProxyFast.Testing;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Client.Tests.Runner;

/// <summary>
/// A <see cref="BoundedFrequencyRunner"/> on a fake clock whose sync records when each run
/// started (clock time since the harness began) and does what the test set in <see cref="OnRun"/>.
/// <see cref="SettleAsync"/> waits until the loop waits for the clock or an ask with nothing due:
/// after it, nothing more happens until the test advances the clock or asks.
/// </summary>
internal sealed class RunnerHarness : IAsyncDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<TimeSpan> _runs = new();
    private readonly long _start;

    public RunnerHarness(TimeSpan minInterval, TimeSpan maxInterval, int burst, ILogger? logger = null)
    {
        _start = Clock.GetTimestamp();
        Runner = new BoundedFrequencyRunner("test-runner", SyncAsync, minInterval, maxInterval, burst, Clock, logger);
    }

    public FakeTimeProvider Clock { get; } = new();

    public BoundedFrequencyRunner Runner { get; }

    /// <summary>What a run does after it is recorded (its index from 0, the loop's token).</summary>
    public Func<int, CancellationToken, Task>? OnRun { get; set; }

    public Task? Loop { get; private set; }

    /// <summary>Start times of the runs so far.</summary>
    public IReadOnlyList<TimeSpan> Runs => [.. _runs];

    public TimeSpan Elapsed => Clock.GetElapsedTime(_start);

    public void Start() => Loop = Runner.LoopAsync(_stop.Token);

    public Task StopAsync() => _stop.CancelAsync();

    public Task SettleAsync() => Eventually.True(() => Runner.IsWaiting, "the runner to wait", Within);

    /// <summary>Advances the clock and waits for the loop to settle again.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await SettleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (Loop is not null)
        {
            await Loop.WaitAsync(Within);
        }

        _stop.Dispose();
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        var index = _runs.Count;
        _runs.Enqueue(Elapsed);
        if (OnRun is { } onRun)
        {
            await onRun(index, cancellationToken);
        }
    }
}
