using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.KubeProxy.Config;
using KubeProxyFast.KubeProxy.Metrics;
using KubeProxyFast.KubeProxy.Tests.Support;
using KubeProxyFast.Testing;
using static KubeProxyFast.Testing.TcpClientHelpers;

namespace KubeProxyFast.KubeProxy.Tests.Metrics;

/// <summary>Scrapes over real HTTP after real traffic through the engine.</summary>
public sealed partial class MetricsServerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ProxyEngine _engine = new(new ProxyEngineOptions { SweepInterval = TimeSpan.FromMilliseconds(50) });
    private readonly TcpBackend _backend = new("b");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private ConfigFileSource _source = null!;
    private MetricsServer _server = null!;

    // name{labels} value — the exposition format's sample line, integer values only here.
    [GeneratedRegex("""^([a-z_]+)(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? (\d+)$""")]
    private static partial Regex SampleLine();

    public async Task InitializeAsync()
    {
        var path = _dir.WriteAtomically("services.yaml", Manifests.Documents(
            Manifests.Service("web", TestAddresses.NextClusterIP(), 18080),
            Manifests.Endpoints("web", "http", _backend.EndPoint)));
        _source = new ConfigFileSource(path, _engine);
        Assert.True(_source.Load().Succeeded);
        _server = await MetricsServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), _engine, _source);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _source.Dispose();
        _engine.Dispose();
        await _backend.DisposeAsync();
        _http.Dispose();
        _dir.Dispose();
    }

    private Uri Url(string path) => new($"http://{_server.EndPoint}{path}");

    private async Task<Dictionary<string, long>> Scrape()
    {
        var response = await _http.GetAsync(Url("/metrics"));
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var samples = new Dictionary<string, long>();
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches("^# (HELP|TYPE) [a-z_]+ .+$", line);
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            samples[line[..line.LastIndexOf(' ')]] = long.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture);
        }

        return samples;
    }

    [Fact]
    public async Task Scrape_AfterTraffic_CountersArePositive()
    {
        var service = _engine.Applied.Ports[0];
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(("b", "hello"), await RoundTrip(new IPEndPoint(service.ClusterIP, service.Port), "hello"));
        }

        const string Port = "service_port=\"default/web:http\"";
        // The relay counts a connection closed and its last bytes moments after the client's close.
        await Eventually.True(() => _engine.Counters[0].Active == 0, "connections closed");
        var samples = await Scrape();

        Assert.Equal(3, samples[$"kpf_proxy_connections_accepted_total{{{Port}}}"]);
        Assert.Equal(0, samples[$"kpf_proxy_connections_active{{{Port}}}"]);
        Assert.Equal(0, samples[$"kpf_proxy_connections_failed_total{{{Port}}}"]);
        Assert.Equal(3 * "hello\n".Length, samples[$"kpf_proxy_bytes_total{{{Port},direction=\"to_endpoints\"}}"]);
        Assert.Equal(3 * "b\nhello\n".Length, samples[$"kpf_proxy_bytes_total{{{Port},direction=\"to_clients\"}}"]);
        Assert.Equal(1, samples["kpf_proxy_config_last_load_success"]);
        Assert.Equal(1, samples["kpf_proxy_config_loads_total{result=\"success\"}"]);
        Assert.Equal(0, samples["kpf_proxy_config_loads_total{result=\"failure\"}"]);
    }

    public static TheoryData<string> BrokenFiles => new()
    {
        // The first two threw out of the YAML parser (KeyNotFoundException; 387 million strings)
        // and were logged as crit while the metrics still showed the last load as a success.
        "a: &x 1\nb: {<<: *x}\n",
        YamlAliasBomb.Manifest("Service", "bomb"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: web\n",
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public async Task Scrape_AfterABrokenFileIsWritten_ShowsTheFailedLoad(string broken)
    {
        _source.StartWatching();

        _dir.WriteAtomically("services.yaml", broken);

        await Eventually.True(() => _source.Status!.Attempts > 1, "the broken file loaded");
        var samples = await Scrape();
        Assert.Equal(0, samples["kpf_proxy_config_last_load_success"]);
        Assert.Equal(1, samples["kpf_proxy_config_loads_total{result=\"success\"}"]);
        Assert.Equal(1, samples["kpf_proxy_config_loads_total{result=\"failure\"}"]);
        Assert.Equal(("b", "still"), await RoundTrip(new IPEndPoint(_engine.Applied.Ports[0].ClusterIP, _engine.Applied.Ports[0].Port), "still"));
    }

    [Fact]
    public async Task Scrape_WhileConnectionOpen_ActiveGaugeCountsIt()
    {
        var service = _engine.Applied.Ports[0];
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(service.ClusterIP, service.Port);
        await Eventually.True(() => _engine.Counters[0].Active == 1, "the connection accepted");

        var samples = await Scrape();

        Assert.Equal(1, samples["kpf_proxy_connections_active{service_port=\"default/web:http\"}"]);
    }

    [Fact]
    public async Task Healthz_ReturnsOk()
    {
        var response = await _http.GetAsync(Url("/healthz"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownPath_Returns404()
    {
        var response = await _http.GetAsync(Url("/debug/pprof"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Post_Returns405()
    {
        using var content = new StringContent("");
        var response = await _http.PostAsync(Url("/metrics"), content);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public void EndPoint_Port0_ReportsTheBoundPortOnTheRequestedAddress()
    {
        Assert.Equal(IPAddress.Loopback, _server.EndPoint.Address);
        Assert.NotEqual(0, _server.EndPoint.Port);
    }
}
