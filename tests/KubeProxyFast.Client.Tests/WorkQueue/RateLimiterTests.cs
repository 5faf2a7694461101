using KubeProxyFast.Client.WorkQueue;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests.WorkQueue;

/// <summary>The limiters behind <see cref="RateLimitingQueue{TKey}.AddRateLimited"/>.</summary>
public sealed class RateLimiterTests
{
    [Fact]
    public void NextDelay_DefaultControllerOneKey_5msDoublingCappedAt1000s()
    {
        var limiter = RateLimiters.DefaultController<string>(new FakeTimeProvider());
        var delays = Enumerable.Range(0, 22).Select(_ => limiter.NextDelay("a")).ToList();

        Assert.Equal(
            [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560],
            delays.Take(10).Select(d => d.TotalMilliseconds));
        Assert.Equal(TimeSpan.FromMilliseconds(5 << 17), delays[17]);
        Assert.All(delays.Skip(18), d => Assert.Equal(TimeSpan.FromSeconds(1000), d));
        Assert.Equal(22, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("b"));
    }

    [Fact]
    public void Forget_AfterFailures_StartsTheKeyOverAndLeavesOthers()
    {
        var limiter = new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        limiter.NextDelay("a");
        limiter.NextDelay("a");
        limiter.NextDelay("b");
        limiter.Forget("a");

        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.NextDelay("b"));
    }

    [Fact]
    public void NextDelay_Bucket_BurstFreeThenOnePerTenthOfASecond()
    {
        var clock = new FakeTimeProvider();
        var limiter = new BucketRateLimiter<string>(10, 100, clock);
        var burst = Enumerable.Range(0, 100).Select(i => limiter.NextDelay("k" + i)).ToList();

        Assert.All(burst, d => Assert.Equal(TimeSpan.Zero, d));
        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.NextDelay("x"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), limiter.NextDelay("y"));
        // One second later the bucket has refilled 10 tokens, 2 of them owed: 8 free, then 100 ms.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.All(Enumerable.Range(0, 8).Select(_ => limiter.NextDelay("z")), d => Assert.Equal(TimeSpan.Zero, d));
        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.NextDelay("z"));
        Assert.Equal(0, limiter.NumRequeues("z"));
    }
}
