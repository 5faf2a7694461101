using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Security;

/// <summary>Bearer tokens from <c>--token-auth-file</c> on a real HTTPS apiserver, with HttpClient, kubectl and the Python client.</summary>
public sealed class TokenAuthenticationTests : IDisposable
{
    private const string AdminToken = "kpf-admin-token-0123456789";
    private const string ViewerToken = "kpf-viewer-token-0123456789";
    private readonly string _tokenFile = Path.GetTempFileName();

    public TokenAuthenticationTests() =>
        File.WriteAllText(_tokenFile, $"{AdminToken},token-admin,uid-admin,\"system:masters,ops\"\n{ViewerToken},token-viewer,uid-viewer\n");

    public void Dispose() => File.Delete(_tokenFile);

    [Fact]
    public async Task List_TokenOfMastersUser_IsServed()
    {
        await using var server = await StartAsync();

        using var response = await server.HttpWithToken(AdminToken).GetAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task List_TokenOfUserWithoutRole_IsForbiddenNamingTheFileUser()
    {
        await using var server = await StartAsync();

        using var response = await server.HttpWithToken(ViewerToken).GetAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("User \\\"token-viewer\\\" cannot list", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/namespaces")]
    [InlineData("/healthz")]
    [InlineData("/version")]
    public async Task Request_UnknownToken_Is401EvenOnAnonymousPaths(string path)
    {
        await using var server = await StartAsync();

        using var response = await server.HttpWithToken(AdminToken + "x").GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"reason\":\"Unauthorized\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_BasicAuthorizationScheme_IsNotATokenAndSo401()
    {
        await using var server = await StartAsync();
        var http = server.AnonymousHttp();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("token-admin:x"u8));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Kubectl_TokenKubeconfig_ListsNamespaces()
    {
        await using var server = await StartAsync();

        var result = server.Kubectl(server.WriteTokenKubeconfig(AdminToken), "get", "namespaces", "-o", "name");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("namespace/kube-system", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PythonClient_CaFileAndBearerToken_ListsNamespaces()
    {
        await using var server = await StartAsync();

        using var listed = RunPython(server, AdminToken);
        using var refused = RunPython(server, "not-a-known-token");

        Assert.Contains("default", listed.RootElement.GetProperty("namespaces").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(401, refused.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Start_MalformedTokenFile_FailsNamingFileAndLine()
    {
        await File.WriteAllTextAsync(_tokenFile, $"{AdminToken},admin,1\nbroken-line\n");

        var error = await Assert.ThrowsAsync<TokenFileException>(() => StartAsync());

        Assert.Equal($"token file '{_tokenFile}' line 2: must have at least 3 columns (token, user name, user uid), found 1", error.Message);
    }

    private Task<SecuredApiServer> StartAsync() => SecuredApiServer.StartAsync(configure: s => s with { TokenAuthFile = _tokenFile });

    private static JsonDocument RunPython(SecuredApiServer server, string token)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "Python", "token_list_namespaces.py");
        // Debian's interpreter, where python3-kubernetes is installed (see PythonClientTests).
        var result = ProcessResult.Run(
            "/usr/bin/python3", [script, server.Url.ToString().TrimEnd('/'), server.ServerCaPath], environment: new Dictionary<string, string> { ["KPF_TOKEN"] = token });
        Assert.True(result.ExitCode == 0, $"python3 exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return JsonDocument.Parse(result.Stdout);
    }
}
