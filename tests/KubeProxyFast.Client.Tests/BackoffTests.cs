
namespace KubeProxyFast.Client.Tests;

public sealed class BackoffTests
{
    [Fact]
    public void Next_RepeatedFailures_DoublesWithJitterUpToMax()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        var delays = Enumerable.Range(0, 10).Select(_ => backoff.Next()).ToList();

        Assert.InRange(delays[0], TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(125));
        Assert.InRange(delays[3], TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(1000));
        Assert.All(delays, d => Assert.True(d <= TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(5), delays[^1]);
    }

    [Fact]
    public void Reset_AfterFailures_StartsFromMin()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        backoff.Next();
        backoff.Next();
        backoff.Reset();

        Assert.InRange(backoff.Next(), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(125));
    }
}
