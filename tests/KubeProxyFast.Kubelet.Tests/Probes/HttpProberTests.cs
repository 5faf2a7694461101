using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Probes;

namespace KubeProxyFast.Kubelet.Tests.Probes;

public sealed class HttpProberTests : IDisposable
{
    // Ample on a loaded 2-core CI machine; the timeout tests give their own 1 s.
    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(10);
    private readonly HttpProber _prober = new();

    public void Dispose() => _prober.Dispose();

    [Fact]
    public async Task ProbeAsync_200_SucceedsWithKubernetesHeaders()
    {
        await using var server = new HttpTestServer(_ => HttpTestServer.Response(200, "fine"));
        var headers = new List<HttpHeader> { new() { Name = "X-Custom", Value = "yes" }, new() { Name = "Host", Value = "app.example" } };

        var result = await _prober.ProbeAsync(HttpProber.UrlOf("HTTP", "127.0.0.1", server.Port, "healthz?full=1"), headers, Patient, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.Equal("fine", result.Message);
        var request = Assert.Single(server.Requests);
        Assert.StartsWith("GET /healthz?full=1 HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains("\r\nUser-Agent: kube-probe/1.32\r\n", request, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\r\nAccept: */*\r\n", request, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\r\nX-Custom: yes\r\n", request, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\r\nHost: app.example\r\n", request, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ProbeAsync_UserAgentAndAcceptGiven_ReplaceTheDefaults()
    {
        await using var server = new HttpTestServer(_ => HttpTestServer.Response(204));
        var headers = new List<HttpHeader> { new() { Name = "User-Agent", Value = "mine/1" }, new() { Name = "Accept", Value = "text/plain" } };

        var result = await _prober.ProbeAsync(HttpProber.UrlOf(null, "127.0.0.1", server.Port, "/"), headers, Patient, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        var request = Assert.Single(server.Requests);
        Assert.Contains("\r\nUser-Agent: mine/1\r\n", request, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("kube-probe", request, StringComparison.Ordinal);
        Assert.Contains("\r\nAccept: text/plain\r\n", request, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("*/*", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_500_FailsNamingTheStatus()
    {
        await using var server = new HttpTestServer(_ => HttpTestServer.Response(500, "broken"));

        var result = await _prober.ProbeAsync(HttpProber.UrlOf("http", "127.0.0.1", server.Port, "/"), null, Patient, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Contains("statuscode: 500", result.Message, StringComparison.Ordinal);
        Assert.Contains("broken", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_400_Fails()
    {
        await using var server = new HttpTestServer(_ => HttpTestServer.Response(400));

        var result = await _prober.ProbeAsync(HttpProber.UrlOf("http", "127.0.0.1", server.Port, "/"), null, Patient, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
    }

    [Fact]
    public async Task ProbeAsync_302ToTheSameHost_IsFollowedToItsAnswer()
    {
        await using var server = new HttpTestServer(head => head.StartsWith("GET /old ", StringComparison.Ordinal)
            ? HttpTestServer.Response(302, "", "Location: /new")
            : HttpTestServer.Response(500));

        var result = await _prober.ProbeAsync(HttpProber.UrlOf("http", "127.0.0.1", server.Port, "/old"), null, Patient, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Contains("statuscode: 500", result.Message, StringComparison.Ordinal);
        Assert.Equal(["GET /old", "GET /new"], server.Requests.Select(r => r[..r.IndexOf(" HTTP/", StringComparison.Ordinal)]));
    }

    [Fact]
    public async Task ProbeAsync_302ToTheSameHostNameOnAnotherPort_IsFollowed()
    {
        await using var server = new HttpTestServer(_ => HttpTestServer.Response(200, "new"));
        // Kubernetes compares host names only: another port on the same name is followed.
        await using var absolute = new HttpTestServer(_ => HttpTestServer.Response(302, "", $"Location: http://127.0.0.1:{server.Port}/new"));

        var result = await _prober.ProbeAsync(HttpProber.UrlOf("http", "127.0.0.1", absolute.Port, "/old"), null, Patient, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.Equal("new", result.Message);
        Assert.Single(absolute.Requests);
        Assert.StartsWith("GET /new ", Assert.Single(server.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_302ToAnotherHost_IsNotFollowedAndCountsAsSuccess()
    {
        await using var other = new HttpTestServer(_ => HttpTestServer.Response(500));
        // Same machine, another host name: Kubernetes compares names, not addresses.
        await using var server = new HttpTestServer(_ => HttpTestServer.Response(302, "moved", $"Location: http://localhost:{other.Port}/"));

        var result = await _prober.ProbeAsync(HttpProber.UrlOf("http", "127.0.0.1", server.Port, "/"), null, Patient, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.Contains("terminated redirects", result.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task ProbeAsync_RedirectLoop_FailsAfterTenRedirects()
    {
        await using var server = new HttpTestServer(_ => HttpTestServer.Response(301, "", "Location: /again"));

        var result = await _prober.ProbeAsync(HttpProber.UrlOf("http", "127.0.0.1", server.Port, "/"), null, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Contains("stopped after 10 redirects", result.Message, StringComparison.Ordinal);
        Assert.Equal(HttpProber.MaxRedirects + 1, server.Requests.Count);
    }

    [Fact]
    public async Task ProbeAsync_ServerNeverAnswers_FailsWithTimeout()
    {
        await using var server = new HttpTestServer(_ => null);

        var result = await _prober.ProbeAsync(HttpProber.UrlOf("http", "127.0.0.1", server.Port, "/"), null, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Contains("timeout", result.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ProbeAsync_ConnectionRefused_Fails()
    {
        var port = ClosedPort();

        var result = await _prober.ProbeAsync(HttpProber.UrlOf("http", "127.0.0.1", port, "/"), null, Patient, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Contains($"127.0.0.1:{port}", result.Message, StringComparison.Ordinal);
        Assert.Contains("refused", result.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ProbeAsync_LargeBody_ReadsAtMost10KiB()
    {
        await using var server = new HttpTestServer(_ => HttpTestServer.Response(200, new string('x', 1024 * 1024)));

        var result = await _prober.ProbeAsync(HttpProber.UrlOf("http", "127.0.0.1", server.Port, "/"), null, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.Equal(HttpProber.MaxBodyBytes, result.Message.Length);
    }

    [Fact]
    public async Task ProbeAsync_HttpsWithAnUntrustedCertificate_Succeeds()
    {
        await using var server = new HttpTestServer(_ => HttpTestServer.Response(200, "secure"), tls: true);

        var result = await _prober.ProbeAsync(HttpProber.UrlOf("HTTPS", "127.0.0.1", server.Port, "/"), null, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.Equal("secure", result.Message);
    }

    [Theory]
    [InlineData("http", "198.18.0.5", 8080, "/healthz", "http://198.18.0.5:8080/healthz")]
    [InlineData("HTTPS", "198.18.0.5", 443, "ready", "https://198.18.0.5:443/ready")]
    [InlineData(null, "fd00::5", 80, null, "http://[fd00::5]:80/")]
    public void UrlOf_JoinsSchemeHostPortAndPath(string? scheme, string host, int port, string? path, string expected) =>
        Assert.Equal(expected, HttpProber.UrlOf(scheme, host, port, path).OriginalString);

    /// <summary>A loopback port nothing listens on: bound, then released.</summary>
    internal static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
