using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>
/// Requests in flight are bounded as kube-apiserver bounds them: with every write slot taken (here
/// one, held by a client that sends its body slowly) the next write is 429 with Retry-After, reads
/// are counted apart, and the slot comes back when the request ends.
/// </summary>
public sealed class InFlightLimitTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync(options: new ApiServerOptions
    {
        ServiceClusterIpRange = TestApiServer.ServiceClusterIpRange,
        MaxMutatingRequestsInFlight = 1,
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Write_EveryWriteSlotTaken_IsTooManyRequestsUntilTheSlotIsBack()
    {
        var body = Encoding.UTF8.GetBytes(Pod("slow"));
        using var slow = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await slow.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _server.Url.Port));
        var head = $"POST {Pods} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n";
        await slow.SendAsync(Encoding.ASCII.GetBytes(head));
        await slow.SendAsync(body.AsMemory(0, 10));

        // An invalid body answers 422 while a slot is free, 429 once the slow write holds it.
        HttpResponseMessage? refused = null;
        await Eventually.True(async () =>
        {
            var response = await _server.PostJsonAsync(Pods, "{}");
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
            return refused is not null;
        }, "a write refused while the slow one holds the slot");

        var status = await Read(refused!);
        Assert.Equal("Too many requests, please try again later.", Message(status));
        Assert.Equal("TooManyRequests", status.GetProperty("reason").GetString());
        Assert.Equal("1", string.Join(",", refused!.Headers.GetValues("Retry-After")));
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync(Pods)).StatusCode);

        await slow.SendAsync(body.AsMemory(10));
        var answer = new byte[256];
        var read = await slow.ReceiveAsync(answer);
        Assert.StartsWith("HTTP/1.1 201", Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);
        await Eventually.True(async () => (await _server.PostJsonAsync(Pods, Pod("after"))).StatusCode == HttpStatusCode.Created, "a write served once the slot is back");
    }
}
