using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>
/// The proxy subresources forward to a real HTTP backend. The apiserver refuses loopback targets,
/// so both run in a private network namespace (<see cref="NamespacedKpfServer"/>): a real
/// <c>kpf server</c> process proxying to 198.18.0.10, an allowed address local to that namespace,
/// with no option that loosens the address rules for tests.
/// </summary>
public sealed class ProxyTests : IClassFixture<ProxyTests.Cluster>
{
    private const string Backend = "198.18.0.10";
    private readonly Cluster _cluster;

    public ProxyTests(Cluster cluster) => _cluster = cluster;

    private NamespacedKpfServer Server => _cluster.Server;

    [Fact]
    public async Task ServiceProxy_ForwardsPathAndQueryToEndpoint()
    {
        await Server.CreateAsync("/api/v1/namespaces/default/services", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"ports":[{"name":"http","port":80}]}}""");
        await Server.CreateAsync("/api/v1/namespaces/default/endpoints",
            $$$"""{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web"},"subsets":[{"addresses":[{"ip":"{{{Backend}}}"}],"ports":[{"name":"http","port":{{{_cluster.EchoPort}}}}]}]}""");

        var body = await Server.Http.GetStringAsync("/api/v1/namespaces/default/services/web:http/proxy/hello/there?x=1");

        Assert.Equal("GET /hello/there?x=1", body);
    }

    [Fact]
    public async Task PodProxy_ForwardsToPodIpAndPort()
    {
        await Server.CreateAsync("/api/v1/namespaces/default/pods", ApiJson.Pod("p"));
        await Server.PatchStatusAsync("/api/v1/namespaces/default/pods/p/status", $$$"""{"status":{"podIP":"{{{Backend}}}"}}""");

        var response = await Server.Http.PostAsync($"/api/v1/namespaces/default/pods/p:{_cluster.EchoPort}/proxy/submit", new StringContent("x"));

        Assert.Equal("POST /submit", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NodeProxy_ForwardsToKubeletPort()
    {
        await Server.CreateAsync("/api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"}}""");
        await Server.PatchStatusAsync("/api/v1/nodes/n1/status",
            $$"""{"status":{"addresses":[{"type":"InternalIP","address":"{{Backend}}"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":""" + _cluster.EchoPort + "}}}}");

        var body = await Server.Http.GetStringAsync("/api/v1/nodes/n1/proxy/healthz");

        Assert.Equal("GET /healthz", body);
    }

    [Fact]
    public async Task ServiceProxy_BackendRefuses_IsServiceUnavailable()
    {
        var closed = Server.Listen(Backend);
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await Server.CreateAsync("/api/v1/namespaces/default/services", ApiJson.Service("dead"));
        await Server.CreateAsync("/api/v1/namespaces/default/endpoints",
            $$$"""{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"dead"},"subsets":[{"addresses":[{"ip":"{{{Backend}}}"}],"ports":[{"port":{{{deadPort}}}}]}]}""");

        var response = await Server.Http.GetAsync("/api/v1/namespaces/default/services/dead/proxy/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith("error trying to reach service \"dead\"", ApiJson.Message(await ApiJson.Read(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodProxy_BeyondInFlightLimit_IsTooManyRequestsWithRetryAfter()
    {
        const int Limit = 100; // ApiServerOptions.MaxProxyRequestsInFlight, which kpf server keeps
        await Server.CreateAsync("/api/v1/namespaces/default/pods", ApiJson.Pod("slow"));
        await Server.PatchStatusAsync("/api/v1/namespaces/default/pods/slow/status", $$$"""{"status":{"podIP":"{{{Backend}}}"}}""");
        var path = $"/api/v1/namespaces/default/pods/slow:{_cluster.StallPort}/proxy/";
        var held = Enumerable.Range(0, Limit).Select(_ => Server.Http.GetAsync(path)).ToList();
        await Eventually.True(() => _cluster.Stalled >= Limit, $"{Limit} proxied requests reach the stalling backend", TimeSpan.FromSeconds(20));

        using var refused = await Server.Http.GetAsync(path);
        _cluster.ReleaseStalled();
        var answered = await Task.WhenAll(held);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("TooManyRequests", (await ApiJson.Read(refused)).GetProperty("reason").GetString());
        Assert.All(answered, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(Limit, _cluster.Stalled);
    }

    /// <summary>The server and two backends on 198.18.0.10: one echoes the request line, one holds requests until released.</summary>
    public sealed class Cluster : IAsyncLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TcpListener _echo = null!;
        private TcpListener _stall = null!;
        private Task _loops = Task.CompletedTask;
        private int _stalled;

        public NamespacedKpfServer Server { get; private set; } = null!;

        public int EchoPort => ((IPEndPoint)_echo.LocalEndpoint).Port;

        public int StallPort => ((IPEndPoint)_stall.LocalEndpoint).Port;

        /// <summary>Requests the stalling backend has read and holds.</summary>
        public int Stalled => Volatile.Read(ref _stalled);

        public void ReleaseStalled() => _release.TrySetResult();

        public async Task InitializeAsync()
        {
            Server = await NamespacedKpfServer.StartAsync();
            _echo = Server.Listen(Backend);
            _stall = Server.Listen(Backend);
            _loops = Task.WhenAll(AcceptAsync(_echo, hold: false), AcceptAsync(_stall, hold: true));
        }

        public async Task DisposeAsync()
        {
            await _stop.CancelAsync();
            _release.TrySetResult();
            _echo.Stop();
            _stall.Stop();
            try
            {
                await _loops;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }

            await Server.DisposeAsync();
        }

        public void Dispose() => _stop.Dispose();

        private async Task AcceptAsync(TcpListener listener, bool hold)
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(_stop.Token);
                _ = AnswerAsync(client, hold);
            }
        }

        /// <summary>One request per connection, answered with its method and target (after the release, when holding).</summary>
        private async Task AnswerAsync(TcpClient client, bool hold)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                    var requestLine = await reader.ReadLineAsync(_stop.Token) ?? "";
                    while (!string.IsNullOrEmpty(await reader.ReadLineAsync(_stop.Token)))
                    {
                    }

                    if (hold)
                    {
                        Interlocked.Increment(ref _stalled);
                        await _release.Task.WaitAsync(_stop.Token);
                    }

                    var parts = requestLine.Split(' ');
                    var body = Encoding.ASCII.GetBytes(parts[0] + " " + parts[1]);
                    var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(head, _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    // Stopped.
                }
            }
        }
    }
}
