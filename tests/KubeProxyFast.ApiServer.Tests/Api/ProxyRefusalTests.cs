using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>
/// What the proxy subresources refuse, as kube-apiserver does (400 "address not allowed"): the
/// machine's own services on loopback, link-local, unspecified and multicast addresses, the
/// apiserver itself, node ports other than the kubelet's, and requests that already went through
/// a proxy. A real listener on loopback shows that nothing reached it.
/// </summary>
public sealed class ProxyRefusalTests : IAsyncLifetime, IDisposable
{
    private TestApiServer _server = null!;
    private TcpListener _local = null!;
    private int _connections;
    private Task _loop = Task.CompletedTask;

    private int LocalPort => ((IPEndPoint)_local.LocalEndpoint).Port;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _local = new TcpListener(IPAddress.Loopback, 0);
        _local.Start();
        _loop = CountAsync();
    }

    public async Task DisposeAsync()
    {
        _local.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        await _server.DisposeAsync();
    }

    public void Dispose() => _local.Dispose();

    [Fact]
    public async Task NodeProxy_LoopbackInternalIP_IsRefusedWithoutConnecting()
    {
        await Node("n1", "InternalIP", "127.0.0.1", LocalPort);

        var response = await _server.Http.GetAsync("/api/v1/nodes/n1/proxy/");

        await AssertRefused(response, $"address not allowed: 127.0.0.1:{LocalPort} is a loopback address");
    }

    [Fact]
    public async Task NodeProxy_HostnameLocalhost_IsRefusedWithoutConnecting()
    {
        await Node("n2", "Hostname", "localhost", LocalPort);

        var response = await _server.Http.GetAsync("/api/v1/nodes/n2/proxy/");

        await AssertRefused(response, "(localhost) is a loopback address");
    }

    [Fact]
    public async Task NodeProxy_PortOtherThanKubelet_IsRefused()
    {
        await Node("n3", "InternalIP", "198.18.0.10", 10250);

        var response = await _server.Http.GetAsync("/api/v1/nodes/n3:2379/proxy/");

        await AssertRefused(response, "port 2379 is not allowed: nodes/proxy reaches only the kubelet of node \"n3\", on port 10250");
    }

    [Theory]
    [InlineData("127.0.0.1", "a loopback address")]
    [InlineData("127.1.2.3", "a loopback address")]
    [InlineData("::1", "a loopback address")]
    [InlineData("169.254.169.254", "a link-local address")]
    [InlineData("fe80::1", "a link-local address")]
    [InlineData("0.0.0.0", "an unspecified address (0.0.0.0/8)")]
    [InlineData("::", "the unspecified address")]
    [InlineData("224.0.0.1", "a multicast address")]
    [InlineData("ff02::1", "a multicast address")]
    [InlineData("255.255.255.255", "the broadcast address")]
    public async Task PodProxy_PodIPNotAllowed_IsRefused(string ip, string why)
    {
        await PodWithIP("p", ip);

        var response = await _server.Http.GetAsync($"/api/v1/namespaces/default/pods/p:{LocalPort}/proxy/");

        await AssertRefused(response, "is " + why);
    }

    [Fact]
    public async Task PodProxy_ToTheApiServerItself_IsRefused()
    {
        await PodWithIP("self", "127.0.0.1");

        var response = await _server.Http.GetAsync($"/api/v1/namespaces/default/pods/self:{_server.Url.Port}/proxy/api/v1/nodes");

        await AssertRefused(response, $"address not allowed: 127.0.0.1:{_server.Url.Port} is this apiserver's own address");
    }

    [Fact]
    public async Task ServiceProxy_OnlyLoopbackEndpoints_IsRefused()
    {
        await Created(_server, "/api/v1/namespaces/default/services", Service("local"));
        await Created(_server, "/api/v1/namespaces/default/endpoints",
            $$$"""{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"local"},"subsets":[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"port":{{{LocalPort}}}}]}]}""");

        var response = await _server.Http.GetAsync("/api/v1/namespaces/default/services/local/proxy/");

        await AssertRefused(response, $"address not allowed: 127.0.0.1:{LocalPort} is a loopback address");
    }

    [Fact]
    public async Task Proxy_RequestAlreadyProxied_IsRefused()
    {
        await PodWithIP("hop", "198.18.0.10");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/pods/hop/proxy/");
        request.Headers.Add("Kpf-Proxied", "1");

        var response = await _server.Http.SendAsync(request);

        await AssertRefused(response, "proxy loop");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("127.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("fe80::1%lo")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task PodStatus_PodIPNotAnIPAddress_IsInvalid(string ip)
    {
        await Created(_server, "/api/v1/namespaces/default/pods", Pod("bad"));

        var response = await _server.PatchAsync("/api/v1/namespaces/default/pods/bad/status", $$$"""{"status":{"podIP":"{{{ip}}}"}}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"status.podIP: Invalid value: \"{ip}\": must be a valid IP address", Message(await Read(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeStatus_InternalIPNotAnIPAddress_IsInvalid()
    {
        await Created(_server, "/api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"bad"}}""");

        var response = await _server.PatchAsync("/api/v1/nodes/bad/status",
            """{"status":{"addresses":[{"type":"InternalIP","address":"localhost"},{"type":"Sideways","address":"x"}]}}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var message = Message(await Read(response));
        Assert.Contains("status.addresses[0].address: Invalid value: \"localhost\": must be a valid IP address", message, StringComparison.Ordinal);
        Assert.Contains("status.addresses[1].type: Unsupported value: \"Sideways\"", message, StringComparison.Ordinal);
    }

    private async Task AssertRefused(HttpResponseMessage response, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, Message(await Read(response)), StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref _connections));
    }

    private async Task Node(string name, string type, string address, int kubeletPort)
    {
        await Created(_server, "/api/v1/nodes", $$$"""{"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}"}}""");
        var patched = await _server.PatchAsync($"/api/v1/nodes/{name}/status",
            $$"""{"status":{"addresses":[{"type":"{{type}}","address":"{{address}}"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":""" + kubeletPort + "}}}}",
            "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
    }

    private async Task PodWithIP(string name, string ip)
    {
        await Created(_server, "/api/v1/namespaces/default/pods", Pod(name));
        var patched = await _server.PatchAsync($"/api/v1/namespaces/default/pods/{name}/status", $$$"""{"status":{"podIP":"{{{ip}}}"}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
    }

    private async Task CountAsync()
    {
        while (true)
        {
            using var client = await _local.AcceptTcpClientAsync();
            Interlocked.Increment(ref _connections);
        }
    }
}
