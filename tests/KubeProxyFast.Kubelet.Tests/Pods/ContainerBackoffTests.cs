using KubeProxyFast.Kubelet.Pods;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Pods;

public class ContainerBackoffTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IsInBackOff_CrashingContainer_WaitsTenSecondsDoublingToFiveMinutes()
    {
        var clock = new FakeTimeProvider(Start);
        var backoff = new ContainerBackoff(clock);
        var waits = new List<TimeSpan>();

        // The first failure restarts at once.
        Assert.False(backoff.IsInBackOff("u1", "app", clock.GetUtcNow(), out _, out _));
        backoff.Next("u1", "app", clock.GetUtcNow());
        for (var i = 0; i < 8; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1)); // the container runs a second and fails again
            var finished = clock.GetUtcNow();
            Assert.True(backoff.IsInBackOff("u1", "app", finished, out var wait, out var remaining));
            Assert.Equal(wait, remaining);
            clock.Advance(wait - TimeSpan.FromMilliseconds(1));
            Assert.True(backoff.IsInBackOff("u1", "app", finished, out _, out remaining));
            Assert.Equal(TimeSpan.FromMilliseconds(1), remaining);
            clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.False(backoff.IsInBackOff("u1", "app", finished, out _, out _));
            backoff.Next("u1", "app", finished);
            waits.Add(wait);
        }

        Assert.Equal(new[] { 10, 20, 40, 80, 160, 300, 300, 300 }, waits.Select(w => (int)w.TotalSeconds));
    }

    [Fact]
    public void Next_AfterTenMinutesOfRunning_StartsOverAtTenSeconds()
    {
        var clock = new FakeTimeProvider(Start);
        var backoff = new ContainerBackoff(clock);
        backoff.Next("u1", "app", clock.GetUtcNow());
        backoff.Next("u1", "app", clock.GetUtcNow());
        backoff.Next("u1", "app", clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(40), backoff.Current("u1", "app"));

        // Ran 9 minutes: still a crash loop.
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.True(backoff.IsInBackOff("u1", "app", clock.GetUtcNow(), out var wait, out _));
        Assert.Equal(TimeSpan.FromSeconds(40), wait);
        clock.Advance(wait);
        backoff.Next("u1", "app", clock.GetUtcNow() - wait);
        Assert.Equal(TimeSpan.FromSeconds(80), backoff.Current("u1", "app"));

        // Ran more than 10 minutes since that restart: stable, so the next failure restarts at once.
        clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var finished = clock.GetUtcNow();
        Assert.False(backoff.IsInBackOff("u1", "app", finished, out _, out _));
        backoff.Next("u1", "app", finished);
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Current("u1", "app"));
    }

    [Fact]
    public void Next_OtherContainersAndPods_KeepTheirOwnSequence()
    {
        var clock = new FakeTimeProvider(Start);
        var backoff = new ContainerBackoff(clock);
        backoff.Next("u1", "a", clock.GetUtcNow());
        backoff.Next("u1", "a", clock.GetUtcNow());
        backoff.Next("u1", "b", clock.GetUtcNow());
        backoff.Next("u2", "a", clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(20), backoff.Current("u1", "a"));
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Current("u1", "b"));
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Current("u2", "a"));

        backoff.Forget("u1");
        Assert.Equal(TimeSpan.Zero, backoff.Current("u1", "a"));
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Current("u2", "a"));
    }

    [Theory]
    [InlineData(10, "10s")]
    [InlineData(80, "1m20s")]
    [InlineData(160, "2m40s")]
    [InlineData(300, "5m0s")]
    [InlineData(3600, "1h0m0s")]
    public void FormatGoDuration_WritesGoForm(int seconds, string expected) =>
        Assert.Equal(expected, ContainerBackoff.FormatGoDuration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Message_IsKubernetesWords() =>
        Assert.Equal(
            "back-off 40s restarting failed container=app pod=web_default(1234)",
            ContainerBackoff.Message(TimeSpan.FromSeconds(40), "app", "web", "default", "1234"));
}
