using System.Net;
using System.Net.Sockets;
using KubeProxyFast.KubeProxy.Agent;
using KubeProxyFast.KubeProxy.Tests.Support;
using KubeProxyFast.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static KubeProxyFast.Testing.TcpClientHelpers;

namespace KubeProxyFast.KubeProxy.Tests.Agent;

public sealed class ProxyAgentTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ProxyAgentOptions Options(string yaml) => new()
    {
        ConfigPath = _dir.WriteAtomically("services.yaml", yaml),
        MetricsBindAddress = new IPEndPoint(IPAddress.Loopback, 0),
    };

    [Fact]
    public async Task StartAsync_ValidFile_ServesMetricsAndDisposeClosesListeners()
    {
        await using var backend = new TcpBackend("pod");
        var service = new IPEndPoint(TestAddresses.NextClusterIP(), 18080);
        var agent = await ProxyAgent.StartAsync(Options(Manifests.Documents(
            Manifests.Service("web", service.Address, service.Port),
            Manifests.Endpoints("web", "http", backend.EndPoint))), NullLoggerFactory.Instance);

        Assert.Equal("pod", await Identify(service));
        using var http = new HttpClient();
        Assert.Equal("ok", await http.GetStringAsync(new Uri($"http://{agent.Metrics!.EndPoint}/healthz")));

        await agent.DisposeAsync();

        Assert.True(await NothingListens(service));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(new Uri($"http://{agent.Metrics.EndPoint}/healthz")));
    }

    [Fact]
    public async Task StartAsync_InvalidFile_FailsNamingFileDocumentAndField()
    {
        var options = Options(Manifests.Service("web", TestAddresses.NextClusterIP(), 0));

        var e = await Assert.ThrowsAsync<ProxyStartException>(() => ProxyAgent.StartAsync(options, NullLoggerFactory.Instance));

        Assert.Contains($"{options.ConfigPath}: document 1: Service \"web\" is invalid: spec.ports[0].port: Invalid value: 0",
            e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MetricsAddressInUse_FailsNamingTheFlagAndReleasesServicePorts()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var service = new IPEndPoint(TestAddresses.NextClusterIP(), 18080);
        var options = Options(Manifests.Service("web", service.Address, service.Port)) with
        {
            MetricsBindAddress = (IPEndPoint)taken.LocalEndPoint!,
        };

        using var log = new CapturingLoggerFactory();

        var e = await Assert.ThrowsAsync<ProxyStartException>(() => ProxyAgent.StartAsync(options, log));

        Assert.StartsWith($"--metrics-bind-address {taken.LocalEndPoint}: cannot listen", e.Message, StringComparison.Ordinal);
        // The service port was bound before the metrics listener failed, so its release is real.
        Assert.Contains(log.Messages, m => m.Contains($"listens on {service}", StringComparison.Ordinal));
        Assert.True(await NothingListens(service));
    }
}
