using KubeProxyFast.Kubelet.Probes;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Probes;

public class TcpProberTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task ProbeAsync_Listening_SucceedsAndCloses()
    {
        await using var backend = new TcpBackend("app");

        var result = await new TcpProber().ProbeAsync("127.0.0.1", backend.EndPoint.Port, OneSecond, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        await Eventually.True(() => backend.Accepted == 1, "the backend accepted the probe's connection");
    }

    [Fact]
    public async Task ProbeAsync_ConnectionRefused_FailsNamingTheAddress()
    {
        var port = HttpProberTests.ClosedPort();

        var result = await new TcpProber().ProbeAsync("127.0.0.1", port, OneSecond, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Contains($"127.0.0.1:{port}", result.Message, StringComparison.Ordinal);
        Assert.Contains("refused", result.Message, StringComparison.OrdinalIgnoreCase);
    }
}
