using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>The proxy subresources forward to a real HTTP backend on loopback (endpoints here may be loopback addresses).</summary>
public abstract class ProxyTests(ITestStoreBackend backend) : ApiServerSuite(backend), IDisposable
{
    private TcpListener _backend = null!;
    private CancellationTokenSource _stop = null!;
    private Task _loop = Task.CompletedTask;

    private int BackendPort => ((IPEndPoint)_backend.LocalEndpoint).Port;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _backend = new TcpListener(IPAddress.Loopback, 0);
        _backend.Start();
        _stop = new CancellationTokenSource();
        _loop = ServeAsync(_stop.Token);
    }

    public override async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _backend.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        await base.DisposeAsync();
    }

    public void Dispose()
    {
        _stop.Dispose();
        _backend.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ServiceProxy_ForwardsPathAndQueryToEndpoint()
    {
        await Created(Server, "/api/v1/namespaces/default/services", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"ports":[{"name":"http","port":80}]}}""");
        await Created(Server, "/api/v1/namespaces/default/endpoints",
            $$$"""{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web"},"subsets":[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"name":"http","port":{{{BackendPort}}}}]}]}""");

        var body = await Server.Http.GetStringAsync("/api/v1/namespaces/default/services/web:http/proxy/hello/there?x=1");

        Assert.Equal("GET /hello/there?x=1", body);
    }

    [Fact]
    public async Task ServiceProxy_NoEndpoints_IsServiceUnavailable()
    {
        await Created(Server, "/api/v1/namespaces/default/services", Service("lonely"));

        var response = await Server.Http.GetAsync("/api/v1/namespaces/default/services/lonely/proxy/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no endpoints available for service \"lonely\"", Message(await Read(response)));
    }

    [Fact]
    public async Task PodProxy_ForwardsToPodIpAndPort()
    {
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("p"));
        await Server.PatchAsync("/api/v1/namespaces/default/pods/p/status", """{"status":{"podIP":"127.0.0.1"}}""", "application/merge-patch+json");

        var response = await Server.Http.PostAsync($"/api/v1/namespaces/default/pods/p:{BackendPort}/proxy/submit", new StringContent("x"));

        Assert.Equal("POST /submit", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NodeProxy_ForwardsToKubeletPort()
    {
        await Created(Server, "/api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"}}""");
        await Server.PatchAsync("/api/v1/nodes/n1/status",
            """{"status":{"addresses":[{"type":"InternalIP","address":"127.0.0.1"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":""" + BackendPort + "}}}}",
            "application/merge-patch+json");

        var body = await Server.Http.GetStringAsync("/api/v1/nodes/n1/proxy/healthz");

        Assert.Equal("GET /healthz", body);
    }

    [Fact]
    public async Task ServiceProxy_BackendRefuses_IsServiceUnavailable()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await Created(Server, "/api/v1/namespaces/default/services", Service("dead"));
        await Created(Server, "/api/v1/namespaces/default/endpoints",
            $$$"""{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"dead"},"subsets":[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"port":{{{deadPort}}}}]}]}""");

        var response = await Server.Http.GetAsync("/api/v1/namespaces/default/services/dead/proxy/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith("error trying to reach service \"dead\"", Message(await Read(response)), StringComparison.Ordinal);
    }

    /// <summary>A one-request-per-connection HTTP server answering with the request line's method and target.</summary>
    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var client = await _backend.AcceptTcpClientAsync(cancellationToken);
            using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync(cancellationToken) ?? "";
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync(cancellationToken)))
            {
            }

            var parts = requestLine.Split(' ');
            var body = Encoding.ASCII.GetBytes(parts[0] + " " + parts[1]);
            var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(head, cancellationToken);
            await stream.WriteAsync(body, cancellationToken);
        }
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class ProxyOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : ProxyTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class ProxyOnEtcdTests(EtcdStoreBackend backend) : ProxyTests(backend), IClassFixture<EtcdStoreBackend>;
