namespace KubeProxyFast.Scheduler.Tests;

/// <summary>The options' defaults and their validation.</summary>
public sealed class SchedulerOptionsTests
{
    [Fact]
    public void AssumedPodTimeToLive_Default_IsNeverAsKubernetes()
    {
        Assert.Null(new SchedulerOptions().AssumedPodTimeToLive);
        new SchedulerOptions().Validate();
        new SchedulerOptions { AssumedPodTimeToLive = TimeSpan.FromSeconds(30) }.Validate();
    }

    [Fact]
    public void Validate_ZeroAssumedPodTimeToLive_NamesIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SchedulerOptions { AssumedPodTimeToLive = TimeSpan.Zero }.Validate());
        Assert.Equal(nameof(SchedulerOptions.AssumedPodTimeToLive), error.ParamName);
    }
}
