using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>
/// What a web page can make a browser send to the loopback apiserver: a foreign Origin, a body
/// without a JSON Content-Type, a rebound Host. None of it reads or writes anything.
/// </summary>
public sealed class BrowserRequestTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private const string AllowedOrigin = "http://ui.example:3000";

    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync(options: new ApiServerOptions
    {
        ServiceClusterIpRange = TestApiServer.ServiceClusterIpRange,
        CorsAllowedOrigins = ["^http://ui\\.example(:|$)"],
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task Post_ForeignOrigin_IsForbiddenAndCreatesNothing(string? contentType)
    {
        // A form or fetch(..., {mode: "no-cors"}) from another site: no preflight, response unread.
        using var request = Request(HttpMethod.Post, Pods, Pod("csrf"), contentType);
        request.Headers.Add("Origin", "http://evil.example");

        var status = await Expect(HttpStatusCode.Forbidden, await _server.Http.SendAsync(request));

        Assert.StartsWith("origin \"http://evil.example\" is not allowed", Message(status), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync(Pods + "/csrf")).StatusCode);
    }

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    public async Task Get_CrossSiteWithoutOrigin_IsForbidden(string site)
    {
        // An <img> or <script> from another page: no Origin, but Sec-Fetch-Site says where from.
        using var request = new HttpRequestMessage(HttpMethod.Get, Pods + "?watch=true");
        request.Headers.Add("Sec-Fetch-Site", site);

        var status = await Expect(HttpStatusCode.Forbidden, await _server.Http.SendAsync(request));

        Assert.StartsWith($"a {site} request from a web page is not allowed", Message(status), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("same-origin")]
    [InlineData("none")]
    public async Task Get_SameOriginOrTypedByTheUser_IsServed(string site)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Pods);
        request.Headers.Add("Sec-Fetch-Site", site);

        Assert.Equal(HttpStatusCode.OK, (await _server.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Get_PatternPinnedOnlyByTheSchemeColon_MatchesTheWholeHostOnly()
    {
        // "https://ui\.example" passes the flag's check (Kubernetes' too) through the scheme's
        // colon; the match must still cover the whole host.
        await using var server = await TestApiServer.StartAsync(options: new ApiServerOptions
        {
            ServiceClusterIpRange = TestApiServer.ServiceClusterIpRange,
            CorsAllowedOrigins = ["https://ui\\.example"],
        });

        Assert.Equal(HttpStatusCode.Forbidden, await GetWithOrigin(server, "https://ui.example.evil.net"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetWithOrigin(server, "https://ui.examplex"));
        Assert.Equal(HttpStatusCode.OK, await GetWithOrigin(server, "https://ui.example"));
        Assert.Equal(HttpStatusCode.OK, await GetWithOrigin(server, "https://ui.example:8443"));
    }

    [Theory]
    [InlineData("http://ui.example.evil.net")]
    [InlineData("null")]
    public async Task Get_OriginNotMatched_IsForbidden(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Pods);
        request.Headers.Add("Origin", origin);

        var response = await _server.Http.SendAsync(request);

        await Expect(HttpStatusCode.Forbidden, response);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_AllowedOrigin_IsNoContentWithCorsHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, Pods);
        request.Headers.Add("Origin", AllowedOrigin);
        request.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await _server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("POST, GET, OPTIONS, PUT, DELETE, PATCH", Header(response, "Access-Control-Allow-Methods"));
        Assert.Contains("Content-Type", Header(response, "Access-Control-Allow-Headers"), StringComparison.Ordinal);
        Assert.Equal("true", Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Post_AllowedOrigin_IsServedWithCorsHeaders()
    {
        using var request = Request(HttpMethod.Post, Pods, Pod("from-ui"), "application/json");
        request.Headers.Add("Origin", AllowedOrigin);

        var response = await _server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("Date", Header(response, "Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task Post_NoContentType_IsUnsupportedMediaTypeAndChangesNothing()
    {
        using var request = Request(HttpMethod.Post, Pods, Pod("p"), null);

        var status = await Expect(HttpStatusCode.UnsupportedMediaType, await _server.Http.SendAsync(request));

        Assert.Equal("UnsupportedMediaType", status.GetProperty("reason").GetString());
        Assert.EndsWith("the request declared no Content-Type", Message(status), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync(Pods + "/p")).StatusCode);
    }

    [Fact]
    public async Task Put_NoContentType_IsReadAsJsonAsKubernetesDoes()
    {
        // A page cannot send a PUT without a preflight; client-go's scale client sends its Scale with no Content-Type.
        var before = await Created(_server, Pods, Pod("p"));
        using var request = Request(HttpMethod.Put, Pods + "/p", Pod("p").Replace("\"web\"", "\"changed\"", StringComparison.Ordinal), null);

        var replaced = await Read(await _server.Http.SendAsync(request));

        Assert.NotEqual(RV(before), RV(replaced));
        Assert.Equal("changed", replaced.GetProperty("metadata").GetProperty("labels").GetProperty("app").GetString());
    }

    [Fact]
    public async Task Patch_NoContentType_IsUnsupportedMediaType()
    {
        await Created(_server, Pods, Pod("p"));

        var status = await Expect(HttpStatusCode.UnsupportedMediaType, await _server.Http.SendAsync(Request(HttpMethod.Patch, Pods + "/p", "{}", null)));

        Assert.Equal(
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, " +
            "application/merge-patch+json, application/strategic-merge-patch+json; the request declared no Content-Type",
            Message(status));
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:{port}")]
    [InlineData("127.0.0.1.evil.example:{port}")]
    [InlineData("[::2]:{port}")]
    [InlineData("198.18.0.1:{port}")]
    public async Task Request_HostNotLoopback_IsForbidden(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Pods);
        request.Headers.Host = host.Replace("{port}", _server.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var status = await Expect(HttpStatusCode.Forbidden, await _server.Http.SendAsync(request));

        Assert.Contains("is not allowed: this apiserver serves plain HTTP on loopback", Message(status), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:{port}")]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("127.3.2.1")]
    [InlineData("[::1]:{port}")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task Request_LoopbackHost_IsServed(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Pods);
        request.Headers.Host = host.Replace("{port}", _server.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await _server.Http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("//example\\.com")]
    [InlineData("example\\.com(:|$)")]
    [InlineData("")]
    [InlineData("^http://(example.com$")]
    public async Task Start_BadCorsPattern_IsRefusedNamingTheFlag(string pattern)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => TestApiServer.StartAsync(options: new ApiServerOptions { CorsAllowedOrigins = [pattern] }));

        Assert.Contains("--cors-allowed-origins", e.Message, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string body, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        return new HttpRequestMessage(method, path) { Content = content };
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    private static async Task<System.Text.Json.JsonElement> Expect(HttpStatusCode code, HttpResponseMessage response)
    {
        var body = await Read(response);
        Assert.True(response.StatusCode == code, $"expected {(int)code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal((int)code, body.GetProperty("code").GetInt32());
        return body;
    }

    private static async Task<HttpStatusCode> GetWithOrigin(TestApiServer server, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Pods);
        request.Headers.Add("Origin", origin);
        return (await server.Http.SendAsync(request)).StatusCode;
    }
}
