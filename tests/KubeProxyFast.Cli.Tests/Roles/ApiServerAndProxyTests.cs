using System.Globalization;
using System.Net;
using KubeProxyFast.ApiServer;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.ApiServer;
using KubeProxyFast.Cli.Roles.Proxy;
using KubeProxyFast.Cli.Tests.Support;
using KubeProxyFast.Client;
using KubeProxyFast.KubeProxy.Agent;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Roles;

/// <summary>
/// The real apiserver and proxy roles in one host, in-process: both serve, both stop in reverse
/// order and free their ports; a role failing at start stops the one started before it.
/// </summary>
public sealed class ApiServerAndProxyTests : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly string _directory = Directory.CreateTempSubdirectory("kpf-roles-").FullName;
    private readonly CapturingLoggerFactory _logs = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TcpBackend _backend = new("backend-1");
    private readonly IPEndPoint _service = new(CliAddresses.NextClusterIP(), 18080);

    public async ValueTask DisposeAsync()
    {
        await _backend.DisposeAsync();
        _logs.Dispose();
        _output.Dispose();
        _error.Dispose();
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private ApiServerRole ApiServer(int port = 0) => new(new ApiServerSettings(
        null, _directory, Path.Combine(_directory, "kubeconfig"), false, new ApiServerOptions { Port = port }, new ApiServerServingSettings()));

    private static ProxyRole Proxy(string configPath) => new(new ProxyAgentOptions
    {
        ConfigPath = configPath,
        MetricsBindAddress = new IPEndPoint(IPAddress.Loopback, 0),
    });

    private RoleHost Host(params IRole[] roles) => new("test", roles, _logs, _output, _error);

    private RoleHost Host(TimeSpan stopTimeout, params IRole[] roles) => new("test", roles, _logs, _output, _error, stopTimeout);

    /// <summary>Where the proxy said its metrics are ("metrics at http://127.0.0.1:PORT/metrics").</summary>
    private IPEndPoint MetricsEndPoint()
    {
        var url = _logs.Messages.Single(m => m.StartsWith("metrics at ", StringComparison.Ordinal))["metrics at ".Length..];
        var uri = new Uri(url);
        return new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
    }

    [Fact]
    public async Task RunAsync_ApiServerThenProxy_BothServeThenStopInReverseOrderFreeingTheirPorts()
    {
        var apiServer = ApiServer();
        using var host = Host(apiServer, Proxy(ServicesFile.Write(_directory, _service, _backend.EndPoint)));
        var run = host.RunAsync(_stop.Token);
        await Eventually.True(() => _logs.Messages.Contains("ready: apiserver, proxy"), "ready logged", Bound);
        var api = new IPEndPoint(IPAddress.Loopback, apiServer.Url!.Port);
        var metrics = MetricsEndPoint();

        var backend = await TcpClientHelpers.Identify(_service);
        using (var http = new HttpClient(KubeClient.ReadKubeconfig(Path.Combine(_directory, "kubeconfig")).Credentials.CreateHandler()) { BaseAddress = apiServer.Url })
        {
            Assert.Equal("ok", await http.GetStringAsync(new Uri("/readyz", UriKind.Relative)));
        }

        await _stop.CancelAsync();
        var code = await run.WaitAsync(Bound);

        Assert.Equal("backend-1", backend);
        Assert.Equal(0, code);
        Assert.True(await TcpClientHelpers.NothingListens(api), "the apiserver's port is closed");
        Assert.True(await TcpClientHelpers.NothingListens(_service), "the service port is closed");
        Assert.True(await TcpClientHelpers.NothingListens(metrics), "the metrics port is closed");
        var stopped = _logs.Messages.Where(m => m.Contains(" stopped in ", StringComparison.Ordinal)).Select(m => m.Split(' ')[0]);
        Assert.Equal(["proxy", "apiserver"], stopped);
        // The first start also prints where the new encryption key is; the serving line follows.
        Assert.Contains(_output.ToString().Split('\n'), line => line.StartsWith("kpf test: apiserver: serving https://127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ProxyConfigDoesNotParse_StopsTheApiServerStartedBeforeItAndExits1NamingTheProxy()
    {
        var config = Path.Combine(_directory, "services.yaml");
        await File.WriteAllTextAsync(config, "apiVersion: v1\nkind: Service\nmetadata: [name: web\n");
        var apiServer = ApiServer();
        using var host = Host(apiServer, Proxy(config));

        var code = await host.RunAsync(_stop.Token).WaitAsync(Bound);

        Assert.Equal(1, code);
        Assert.StartsWith($"kpf test: proxy: cannot start: {config}: ", _error.ToString(), StringComparison.Ordinal);
        Assert.True(await TcpClientHelpers.NothingListens(new IPEndPoint(IPAddress.Loopback, apiServer.Url!.Port)), "the apiserver's port is closed");
        Assert.Contains(_logs.Messages, m => m.StartsWith("apiserver stopped in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ApiServerPortTaken_StopsTheProxyStartedBeforeItAndExits1NamingTheApiServer()
    {
        using var busy = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        using var host = Host(Proxy(ServicesFile.Write(_directory, _service, _backend.EndPoint)), ApiServer(port));

        var code = await host.RunAsync(_stop.Token).WaitAsync(Bound);

        Assert.Equal(1, code);
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"kpf test: apiserver: cannot listen on 127.0.0.1:{port}: "), _error.ToString(), StringComparison.Ordinal);
        Assert.True(await TcpClientHelpers.NothingListens(_service), "the service port is closed");
        Assert.True(await TcpClientHelpers.NothingListens(MetricsEndPoint()), "the metrics port is closed");
    }

    [Fact]
    public async Task RunAsync_ApiServerRequestInFlightAtTheDeadline_CutsItAndStopsTheApiServer()
    {
        var apiServer = ApiServer();
        using var host = Host(TimeSpan.FromMilliseconds(300), apiServer);
        var run = host.RunAsync(_stop.Token);
        await Eventually.True(() => _logs.Messages.Contains("ready: apiserver"), "ready logged", Bound);
        var api = new IPEndPoint(IPAddress.Loopback, apiServer.Url!.Port);
        await using var slow = await BodylessRequest.StartAsync(api, Path.Combine(_directory, "kubeconfig"));

        await _stop.CancelAsync();
        var code = await run.WaitAsync(Bound);

        Assert.Equal(0, code);
        Assert.Contains(_logs.Messages, m => m.StartsWith("apiserver was slow to stop: cut short at the stop deadline", StringComparison.Ordinal));
        Assert.True(await TcpClientHelpers.NothingListens(api), "the apiserver's port is closed");
    }
}
