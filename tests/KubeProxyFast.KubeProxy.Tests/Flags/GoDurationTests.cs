using KubeProxyFast.KubeProxy.Flags;

namespace KubeProxyFast.KubeProxy.Tests.Flags;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("250ms", 250 * TimeSpan.TicksPerMillisecond)]
    [InlineData("10s", 10 * TimeSpan.TicksPerSecond)]
    [InlineData("1h", TimeSpan.TicksPerHour)]
    [InlineData("1h30m", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("1.5s", 1500 * TimeSpan.TicksPerMillisecond)]
    [InlineData(".5s", 500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("100us", 100 * TimeSpan.TicksPerMicrosecond)]
    [InlineData("100µs", 100 * TimeSpan.TicksPerMicrosecond)]
    [InlineData("300ns", 3)]
    [InlineData("0", 0)]
    [InlineData("-5s", -5 * TimeSpan.TicksPerSecond)]
    [InlineData("+2m3s", 123 * TimeSpan.TicksPerSecond)]
    public void TryParse_GoSyntax_GivesTheDuration(string text, long ticks)
    {
        Assert.True(GoDuration.TryParse(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromTicks(ticks), value);
    }

    [Theory]
    [InlineData("10", "missing unit in duration \"10\"")]
    [InlineData("10x", "unknown unit \"x\" in duration \"10x\"")]
    [InlineData("10sec", "unknown unit \"sec\" in duration \"10sec\"")]
    [InlineData("", "invalid duration \"\"")]
    [InlineData("s", "invalid duration \"s\"")]
    [InlineData("1..5s", "invalid duration \"1..5s\"")]
    [InlineData("-", "invalid duration \"-\"")]
    [InlineData("99999999999999h", "invalid duration \"99999999999999h\"")]
    public void TryParse_Malformed_SaysWhyAsGoDoes(string text, string expected)
    {
        Assert.False(GoDuration.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData(250 * TimeSpan.TicksPerMillisecond, "250ms")]
    [InlineData(10 * TimeSpan.TicksPerSecond, "10s")]
    [InlineData(TimeSpan.TicksPerHour, "1h0m0s")]
    [InlineData(90 * TimeSpan.TicksPerSecond, "1m30s")]
    [InlineData(1500 * TimeSpan.TicksPerMillisecond, "1.5s")]
    [InlineData(0, "0s")]
    public void Format_Duration_PrintsAsGoDoes(long ticks, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromTicks(ticks)));
    }
}
