using KubeProxyFast.Scheduler.Cache;
using KubeProxyFast.Scheduler.Queue;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Scheduler.Tests.Queue;

/// <summary>The scheduling queue on a fake clock: order, backoff, moves, deletion.</summary>
public sealed class SchedulingQueueTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private readonly SchedulingQueue _queue;

    public SchedulingQueueTests() =>
        _queue = new SchedulingQueue(_time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

    private static PodInfo Pod(string name, int priority = 0)
    {
        var pod = Build.Pod(name);
        pod.Spec!.Priority = priority;
        return PodInfo.From(pod);
    }

    private async Task<string?> PopNameAsync()
    {
        var popped = await _queue.PopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        return popped?.Pod.Info.Name;
    }

    private bool TryPop(out (QueuedPod Pod, long Cycle) popped)
    {
        var task = _queue.PopAsync(CancellationToken.None);
        if (task.IsCompleted && task.Result is { } value)
        {
            popped = value;
            return true;
        }

        _queue.Close();
        popped = default;
        return false;
    }

    [Fact]
    public async Task Pop_ByPriorityThenArrival()
    {
        _queue.Add(Pod("low-first"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _queue.Add(Pod("high", priority: 10));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _queue.Add(Pod("low-second"));

        Assert.Equal("high", await PopNameAsync());
        Assert.Equal("low-first", await PopNameAsync());
        Assert.Equal("low-second", await PopNameAsync());
    }

    [Fact]
    public async Task AddFailed_Unschedulable_WaitsForAnEventThenItsBackoff()
    {
        _queue.Add(Pod("p"));
        var popped = (await _queue.PopAsync(CancellationToken.None))!.Value;
        _queue.AddFailed(popped.Pod, popped.Cycle, unschedulable: true);
        Assert.Equal((0, 0, 1), _queue.Counts());

        _queue.MoveAllToActiveOrBackoff();
        Assert.Equal((0, 1, 0), _queue.Counts());

        _time.Advance(TimeSpan.FromMilliseconds(999));
        _queue.Flush();
        Assert.Equal((0, 1, 0), _queue.Counts());

        _time.Advance(TimeSpan.FromMilliseconds(1));
        _queue.Flush();
        Assert.Equal("p", await PopNameAsync());
    }

    [Fact]
    public void AddFailed_EventDuringItsCycle_GoesToBackoffNotUnschedulable()
    {
        _queue.Add(Pod("p"));
        Assert.True(TryPop(out var popped));
        _queue.MoveAllToActiveOrBackoff();

        _queue.AddFailed(popped.Pod, popped.Cycle, unschedulable: true);

        Assert.Equal((0, 1, 0), _queue.Counts());
    }

    [Fact]
    public void Backoff_DoublesPerAttemptUpToTheMaximum()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), _queue.Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(2), _queue.Backoff(2));
        Assert.Equal(TimeSpan.FromSeconds(8), _queue.Backoff(4));
        Assert.Equal(TimeSpan.FromSeconds(10), _queue.Backoff(5));
        Assert.Equal(TimeSpan.FromSeconds(10), _queue.Backoff(30));
    }

    [Fact]
    public void Flush_UnschedulableForTooLong_IsRetried()
    {
        _queue.Add(Pod("p"));
        Assert.True(TryPop(out var popped));
        _queue.AddFailed(popped.Pod, popped.Cycle, unschedulable: true);

        _time.Advance(TimeSpan.FromMinutes(5));
        _queue.Flush();

        Assert.Equal((1, 0, 0), _queue.Counts());
    }

    [Fact]
    public async Task Delete_QueuedPod_IsNeverHandedOut()
    {
        _queue.Add(Pod("deleted"));
        _queue.Add(Pod("kept"));
        _queue.Delete("default/deleted");

        Assert.Equal("kept", await PopNameAsync());
        Assert.False(TryPop(out _));
    }

    [Fact]
    public void Delete_WhileInFlight_FailureDoesNotRequeue()
    {
        _queue.Add(Pod("p"));
        Assert.True(TryPop(out var popped));
        _queue.Delete("default/p");

        _queue.AddFailed(popped.Pod, popped.Cycle, unschedulable: false);

        Assert.Equal((0, 0, 0), _queue.Counts());
        Assert.False(_queue.Contains("default/p"));
    }
}
