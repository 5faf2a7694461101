using System.Net;
using KubeProxyFast.KubeProxy.Flags;

namespace KubeProxyFast.KubeProxy.Tests.Flags;

public sealed class HostPortTests
{
    [Theory]
    [InlineData("127.0.0.1:10249", "127.0.0.1:10249")]
    [InlineData("0.0.0.0:0", "0.0.0.0:0")]
    [InlineData("127.0.0.1", "127.0.0.1:10249")]
    [InlineData("[::1]:9000", "[::1]:9000")]
    [InlineData("::1", "[::1]:10249")]
    [InlineData("[::1]", "[::1]:10249")]
    public void TryParse_Address_GivesEndPointWithDefaultPortWhenAbsent(string text, string expected)
    {
        Assert.True(HostPort.TryParse(text, 10249, out var endPoint, out var error), error);
        Assert.Equal(IPEndPoint.Parse(expected), endPoint);
    }

    [Theory]
    [InlineData("10249")]
    [InlineData("localhost:10249")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:")]
    [InlineData("")]
    public void TryParse_NotAnAddress_Fails(string text)
    {
        Assert.False(HostPort.TryParse(text, 10249, out _, out var error));
        Assert.Contains($"invalid address \"{text}\"", error, StringComparison.Ordinal);
    }
}
