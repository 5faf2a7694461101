using KubeProxyFast.Controllers.NodeLifecycle;

namespace KubeProxyFast.Controllers.Tests.NodeLifecycle;

public sealed class RateLimitedTimedQueueTests
{
    [Fact]
    public void TryTake_RateOfOnePerTenSeconds_OneNodeThenNoneUntilTheNextToken()
    {
        var queue = new RateLimitedTimedQueue(0.1, TimeSpan.Zero);
        queue.Add("a", "uid-a", TimeSpan.Zero);
        queue.Add("b", "uid-b", TimeSpan.Zero);

        Assert.True(queue.TryTake(TimeSpan.Zero, out var first));
        queue.Complete(first);
        Assert.False(queue.TryTake(TimeSpan.FromSeconds(9.9), out _));
        Assert.True(queue.TryTake(TimeSpan.FromSeconds(10), out var second));

        Assert.Equal(["a", "b"], new[] { first.Name, second.Name });
    }

    [Fact]
    public void SwapLimiter_Zero_TakesNothingUntilARateIsBack()
    {
        var queue = new RateLimitedTimedQueue(0.1, TimeSpan.Zero);
        queue.Add("a", "uid-a", TimeSpan.Zero);

        queue.SwapLimiter(0, TimeSpan.Zero);

        Assert.False(queue.TryTake(TimeSpan.FromHours(1), out _));
        queue.SwapLimiter(0.01, TimeSpan.FromHours(1));
        Assert.True(queue.TryTake(TimeSpan.FromHours(1), out var entry));
        Assert.Equal("a", entry.Name);
    }

    [Fact]
    public void Add_NodeAlreadyQueued_False_RemoveTakesItOut()
    {
        var queue = new RateLimitedTimedQueue(100, TimeSpan.Zero);

        Assert.True(queue.Add("a", "uid-a", TimeSpan.Zero));
        Assert.False(queue.Add("a", "uid-a", TimeSpan.FromSeconds(1)));
        Assert.True(queue.Remove("a"));

        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryTake(TimeSpan.FromSeconds(1), out _));
    }

    [Fact]
    public void Retry_Entry_TakenAgainOnlyAtItsTime()
    {
        var queue = new RateLimitedTimedQueue(100, TimeSpan.Zero);
        queue.Add("a", "uid-a", TimeSpan.Zero);
        Assert.True(queue.TryTake(TimeSpan.Zero, out var entry));

        queue.Retry(entry, TimeSpan.FromSeconds(5));

        Assert.False(queue.TryTake(TimeSpan.FromSeconds(4), out _));
        Assert.True(queue.TryTake(TimeSpan.FromSeconds(5), out var again));
        Assert.Equal("a", again.Name);
    }
}
