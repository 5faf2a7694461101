using KubeProxyFast.ApiServer.Printing;

namespace KubeProxyFast.ApiServer.Tests.Printing;

public sealed class HumanDurationTests
{
    // The cases of apimachinery's duration_test.go TestHumanDuration, plus each boundary.
    [Theory]
    [InlineData(-2, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(1, "1s")]
    [InlineData(70, "70s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(190, "3m10s")]
    [InlineData(200, "3m20s")]
    [InlineData(599, "9m59s")]
    [InlineData(600, "10m")]
    [InlineData(70 * 60, "70m")]
    [InlineData(3 * 3600 - 1, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(47 * 3600, "47h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(49 * 3600, "2d1h")]
    [InlineData(51 * 3600, "2d3h")]
    [InlineData((8 * 24 + 2) * 3600, "8d")]
    [InlineData(367L * 24 * 3600, "367d")]
    [InlineData((365L * 2 * 24 + 25) * 3600, "2y1d")]
    [InlineData(365L * 3 * 24 * 3600, "3y")]
    [InlineData((365L * 8 * 24 + 2) * 3600, "8y")]
    public void Format_Seconds_MatchesKubernetes(long seconds, string expected)
    {
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Format_Fraction_Truncates()
    {
        Assert.Equal("59s", HumanDuration.Format(TimeSpan.FromMilliseconds(59_999)));
        Assert.Equal("0s", HumanDuration.Format(TimeSpan.FromMilliseconds(-1_999)));
    }
}
