using System.Net;
using KubeProxyFast.Client;
using KubeProxyFast.Pki;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Security;

public sealed class CaCertsEndpointTests
{
    [Fact]
    public async Task CaCerts_NoCredentialsNoTrust_ServesTheBundleThatHashesAsTheToken()
    {
        await using var server = await SecuredApiServer.StartAsync();
        // As a joining agent: no client certificate, no token, and the server's certificate not verified yet.
        using var http = new HttpClient(new KubeClientCredentials { InsecureSkipTlsVerify = true }.CreateHandler()) { BaseAddress = server.Url };

        using var response = await http.GetAsync("/cacerts");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(server.ServerCaPem), bytes);
        Assert.Equal(CaHash.Of(server.ServerCaPem), CaHash.Of(bytes));
        Assert.Equal(server.ServerCa.Certificate.Thumbprint, PemFiles.ParseCertificates(server.ServerCaPem)[0].Thumbprint);
    }

    [Fact]
    public async Task CaCerts_Post_Is405()
    {
        await using var server = await SecuredApiServer.StartAsync();

        using var response = await server.AnonymousHttp().PostAsync("/cacerts", new StringContent(""));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task CaCerts_NoBundleConfigured_IsNotServedAnonymously()
    {
        await using var server = await SecuredApiServer.StartAsync(configure: s => s with { ServerCaBundlePem = null });

        using var response = await server.AnonymousHttp().GetAsync("/cacerts");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
