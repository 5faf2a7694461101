using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Kubelet.Cri;
using KubeProxyFast.Kubelet.Probes;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Probes;

public sealed class ProberTests : IDisposable
{
    // No runtime behind it: these tests make no exec probes, and nothing is dialled until one.
    private readonly CriConnection _cri = CriConnection.Open($"unix://{Path.GetTempPath()}kpf-probes-{Guid.NewGuid():N}.sock");
    private readonly Prober _prober;

    public ProberTests() => _prober = new Prober(_cri.Runtime);

    public void Dispose()
    {
        _prober.Dispose();
        _cri.Dispose();
    }

    [Fact]
    public async Task ProbeAsync_HttpGetNamedPort_ResolvesItAndAsksThePodIP()
    {
        await using var server = new HttpTestServer(_ => HttpTestServer.Response(200));
        var probe = new Probe { HttpGet = new HttpGetAction { Port = IntOrString.FromString("http"), Path = "/ready" } };

        var result = await _prober.ProbeAsync(probe, Target("127.0.0.1", ("metrics", 1), ("http", server.Port)), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.StartsWith("GET /ready ", Assert.Single(server.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_HttpGetHost_IsAskedInsteadOfThePodIP()
    {
        await using var server = new HttpTestServer(_ => HttpTestServer.Response(200));
        var probe = new Probe { HttpGet = new HttpGetAction { Port = IntOrString.FromInt(server.Port), Host = "127.0.0.1" } };

        var result = await _prober.ProbeAsync(probe, Target("127.0.0.2"), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ProbeAsync_TcpSocketNamedPort_Connects()
    {
        await using var backend = new TcpBackend("app");
        var probe = new Probe { TcpSocket = new TcpSocketAction { Port = IntOrString.FromString("db") } };

        var result = await _prober.ProbeAsync(probe, Target("127.0.0.1", ("db", backend.EndPoint.Port)), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        await Eventually.True(() => backend.Accepted == 1, "the backend accepted the probe's connection");
    }

    [Fact]
    public async Task ProbeAsync_PortNameAsNumber_IsTakenAsTheNumber()
    {
        await using var backend = new TcpBackend("app");
        var probe = new Probe { TcpSocket = new TcpSocketAction { Port = IntOrString.FromString(backend.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)) } };

        var result = await _prober.ProbeAsync(probe, Target("127.0.0.1"), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
    }

    [Fact]
    public async Task ProbeAsync_UnknownPortName_FailsSayingSo()
    {
        var probe = new Probe { TcpSocket = new TcpSocketAction { Port = IntOrString.FromString("metrics") } };

        var result = await _prober.ProbeAsync(probe, Target("127.0.0.1", ("http", 8080)), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Equal("tcpSocket probe: port \"metrics\" is not a port of the container", result.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public async Task ProbeAsync_PortOutOfRange_Fails(int port)
    {
        var probe = new Probe { HttpGet = new HttpGetAction { Port = IntOrString.FromInt(port) } };

        var result = await _prober.ProbeAsync(probe, Target("127.0.0.1"), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Contains("invalid port number", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_NoPodIPAndNoHost_Fails()
    {
        var probe = new Probe { TcpSocket = new TcpSocketAction { Port = IntOrString.FromInt(80) } };

        var result = await _prober.ProbeAsync(probe, Target(null), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Contains("no IP", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_NoHandler_Fails()
    {
        var result = await _prober.ProbeAsync(new Probe(), Target("127.0.0.1"), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
    }

    [Fact]
    public void Timing_Defaults_AreKubernetes()
    {
        var timing = ProbeTiming.Of(new Probe(), ProbeKind.Readiness);

        Assert.Equal(new ProbeTiming(TimeSpan.Zero, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), 1, 3), timing);
    }

    [Fact]
    public void Timing_LivenessSuccessThreshold_IsAlwaysOne()
    {
        var probe = new Probe { SuccessThreshold = 3, FailureThreshold = 5, PeriodSeconds = 2, TimeoutSeconds = 4, InitialDelaySeconds = 7 };

        Assert.Equal(new ProbeTiming(TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), 1, 5), ProbeTiming.Of(probe, ProbeKind.Liveness));
        Assert.Equal(3, ProbeTiming.Of(probe, ProbeKind.Readiness).SuccessThreshold);
    }

    private static ProbeTarget Target(string? podIP, params (string Name, int Number)[] ports) =>
        new("c0ffee", podIP, [.. ports.Select(p => new ContainerPort { Name = p.Name, Number = p.Number })]);
}
