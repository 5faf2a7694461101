using KubeProxyFast.Kubelet.Probes;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Probes;

public class TcpProberTests
{
    // Ample on a loaded 2-core CI machine; the timeout tests give their own 1 s.
    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ProbeAsync_Listening_SucceedsAndCloses()
    {
        await using var backend = new TcpBackend("app");

        var result = await new TcpProber().ProbeAsync("127.0.0.1", backend.EndPoint.Port, Patient, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        await Eventually.True(() => backend.Accepted == 1, "the backend accepted the probe's connection");
    }

    [Fact]
    public async Task ProbeAsync_ConnectionRefused_FailsNamingTheAddress()
    {
        var port = HttpProberTests.ClosedPort();

        var result = await new TcpProber().ProbeAsync("127.0.0.1", port, Patient, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Contains($"127.0.0.1:{port}", result.Message, StringComparison.Ordinal);
        Assert.Contains("refused", result.Message, StringComparison.OrdinalIgnoreCase);
    }
}
