using KubeProxyFast.Client.Runner;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests.Runner;

/// <summary><see cref="BoundedFrequencyRunner"/> driven by a fake clock.</summary>
public sealed class BoundedFrequencyRunnerTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task Run_AskedTwiceBeforeTheLoopRuns_RunsOnce()
    {
        await using var h = new RunnerHarness(TimeSpan.Zero, TimeSpan.FromMinutes(1), 1);
        h.Runner.Run();
        h.Runner.Run();
        h.Start();
        await h.SettleAsync();

        Assert.Equal([TimeSpan.Zero], h.Runs);
    }

    [Fact]
    public async Task Run_AskedWhileRunning_RunsOnceMoreAfterward()
    {
        await using var h = new RunnerHarness(TimeSpan.Zero, TimeSpan.FromMinutes(1), 1);
        var release = new TaskCompletionSource();
        var running = new TaskCompletionSource();
        h.OnRun = (i, _) =>
        {
            if (i > 0)
            {
                return Task.CompletedTask;
            }

            running.SetResult();
            return release.Task;
        };
        h.Start();
        h.Runner.Run();
        await running.Task.WaitAsync(Within);
        h.Runner.Run();
        h.Runner.Run();
        h.Runner.Run();
        release.SetResult();
        await h.SettleAsync();

        Assert.Equal(2, h.Runs.Count);
    }

    [Fact]
    public async Task Run_WithinMinInterval_WaitsForTheInterval()
    {
        await using var h = new RunnerHarness(Second, TimeSpan.FromMinutes(1), 1);
        h.Start();
        h.Runner.Run();
        await h.SettleAsync();
        await h.AdvanceAsync(TimeSpan.FromMilliseconds(300));
        h.Runner.Run();
        await h.SettleAsync();
        Assert.Single(h.Runs);

        await h.AdvanceAsync(TimeSpan.FromMilliseconds(699));
        Assert.Single(h.Runs);
        await h.AdvanceAsync(Ms);

        Assert.Equal([TimeSpan.Zero, Second], h.Runs);
    }

    [Fact]
    public async Task Run_Burst_StartsBurstRunsBackToBackThenOnePerMinInterval()
    {
        await using var h = new RunnerHarness(Second, TimeSpan.FromMinutes(1), 3);
        h.Start();
        for (var i = 0; i < 4; i++)
        {
            h.Runner.Run();
            await h.SettleAsync();
        }

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero], h.Runs);
        await h.AdvanceAsync(Second);
        h.Runner.Run();
        await h.SettleAsync();
        await h.AdvanceAsync(Second - Ms);
        Assert.Equal(4, h.Runs.Count);
        await h.AdvanceAsync(Ms);

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, Second, 2 * Second], h.Runs);
    }

    [Fact]
    public async Task LoopAsync_NoAsks_RunsEveryMaxInterval()
    {
        await using var h = new RunnerHarness(Second, TimeSpan.FromSeconds(10), 1);
        h.Start();
        await h.SettleAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(10) - Ms);
        Assert.Empty(h.Runs);

        await h.AdvanceAsync(Ms);
        await h.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)], h.Runs);
    }

    [Fact]
    public async Task RetryAfter_CalledByTheRun_RunsAgainAtTheRetryTimeAndIsNotIdleUntilThen()
    {
        await using var h = new RunnerHarness(Second, TimeSpan.FromSeconds(30), 1);
        h.OnRun = (i, _) =>
        {
            if (i == 0)
            {
                h.Runner.RetryAfter(TimeSpan.FromSeconds(2));
            }

            return Task.CompletedTask;
        };
        h.Start();
        h.Runner.Run();
        await h.SettleAsync();
        var idle = h.Runner.WaitIdleAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(2) - Ms);
        Assert.False(idle.IsCompleted);

        await h.AdvanceAsync(Ms);
        await idle.WaitAsync(Within);

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(2)], h.Runs);
    }

    [Fact]
    public async Task RetryAfter_LaterThanThePeriodicRun_ChangesNothing()
    {
        await using var h = new RunnerHarness(Second, TimeSpan.FromSeconds(10), 1);
        h.Start();
        await h.SettleAsync();
        h.Runner.RetryAfter(TimeSpan.FromSeconds(3));
        h.Runner.RetryAfter(TimeSpan.FromSeconds(60));
        await h.SettleAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(3));
        await h.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(13)], h.Runs);
    }

    [Fact]
    public async Task LoopAsync_RunThrows_LogsKeepsLoopingAndRetriesAtMaxInterval()
    {
        var log = new CapturingLoggerFactory();
        await using var h = new RunnerHarness(Second, TimeSpan.FromSeconds(10), 1, log.CreateLogger("test"));
        h.OnRun = (i, _) => i == 0 ? throw new InvalidOperationException("netlink said no") : Task.CompletedTask;
        h.Start();
        h.Runner.Run();
        await h.SettleAsync();
        var idle = h.Runner.WaitIdleAsync();
        Assert.False(idle.IsCompleted);
        Assert.Contains(log.Messages, m => m.Contains("test-runner: the run failed", StringComparison.Ordinal));

        await h.AdvanceAsync(TimeSpan.FromSeconds(10));
        await idle.WaitAsync(Within);

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(10)], h.Runs);
        Assert.False(h.Loop!.IsCompleted);
    }

    [Fact]
    public async Task WaitIdleAsync_RunAsked_CompletesOnlyAfterTheRunEnds()
    {
        await using var h = new RunnerHarness(TimeSpan.Zero, TimeSpan.FromMinutes(1), 1);
        var release = new TaskCompletionSource();
        h.OnRun = (_, _) => release.Task;
        await h.Runner.WaitIdleAsync().WaitAsync(Within);
        h.Runner.Run();
        var idle = h.Runner.WaitIdleAsync();
        h.Start();
        await Eventually.True(() => h.Runs.Count == 1, "the run to start", Within);
        Assert.False(idle.IsCompleted);

        release.SetResult();

        await idle.WaitAsync(Within);
    }

    [Fact]
    public async Task LoopAsync_CancelledDuringARun_CancelsItsTokenReturnsAndRunsNoMore()
    {
        await using var h = new RunnerHarness(TimeSpan.Zero, TimeSpan.FromSeconds(10), 1);
        var running = new TaskCompletionSource();
        h.OnRun = async (_, token) =>
        {
            running.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
        };
        h.Start();
        h.Runner.Run();
        await running.Task.WaitAsync(Within);

        await h.StopAsync();
        await h.Loop!.WaitAsync(Within);
        h.Runner.Run();
        h.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Single(h.Runs);
        Assert.Equal(0, h.Clock.ActiveTimers);
    }

    [Fact]
    public async Task LoopAsync_AlreadyLooping_Throws()
    {
        await using var h = new RunnerHarness(TimeSpan.Zero, TimeSpan.FromSeconds(10), 1);
        h.Start();

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Runner.LoopAsync(CancellationToken.None));
    }

    [Fact]
    public void Constructor_MaxIntervalBelowMinInterval_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(
            () => new BoundedFrequencyRunner("r", _ => Task.CompletedTask, TimeSpan.FromSeconds(2), Second, 1));

        Assert.Contains("maxInterval must be positive and at least minInterval", e.Message, StringComparison.Ordinal);
    }
}
