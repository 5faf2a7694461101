using KubeProxyFast.Kubelet.Images;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Images;

public class ImagePullBackOffTests
{
    [Fact]
    public void Failed_Repeatedly_Doubles10sUpTo5Minutes()
    {
        var time = new FakeTimeProvider();
        var backOff = new ImagePullBackOff(time);
        var delays = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            var d = backOff.Failed("k");
            delays.Add(d.TotalSeconds);
            time.Advance(d);
        }
        Assert.Equal([10, 20, 40, 80, 160, 300, 300, 300], delays);
    }

    [Fact]
    public void IsInBackOff_UntilTheDelayHasPassed()
    {
        var time = new FakeTimeProvider();
        var backOff = new ImagePullBackOff(time);
        Assert.False(backOff.IsInBackOff("k"));
        backOff.Failed("k");
        Assert.True(backOff.IsInBackOff("k"));
        Assert.False(backOff.IsInBackOff("other"));
        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.True(backOff.IsInBackOff("k"));
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.False(backOff.IsInBackOff("k"));
    }

    [Fact]
    public void Failed_AfterLongQuiet_StartsAgainFrom10s()
    {
        var time = new FakeTimeProvider();
        var backOff = new ImagePullBackOff(time);
        backOff.Failed("k");
        backOff.Failed("k");
        Assert.Equal(TimeSpan.FromSeconds(20), backOff.Current("k"));
        time.Advance(TimeSpan.FromMinutes(11));
        Assert.Null(backOff.Current("k"));
        Assert.Equal(TimeSpan.FromSeconds(10), backOff.Failed("k"));
    }

    [Fact]
    public void Reset_ForgetsTheKey()
    {
        var backOff = new ImagePullBackOff(new FakeTimeProvider());
        backOff.Failed("k");
        backOff.Reset("k");
        Assert.False(backOff.IsInBackOff("k"));
        Assert.Equal(TimeSpan.FromSeconds(10), backOff.Failed("k"));
    }
}
