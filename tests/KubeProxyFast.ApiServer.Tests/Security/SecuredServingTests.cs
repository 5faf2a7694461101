using System.Net;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Security;

public sealed class SecuredServingTests
{
    [Fact]
    public async Task Request_AdminCertificate_IsServedOverHttps()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var http = server.HttpAs("admin", "system:masters");

        using var response = await http.GetAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https", server.Url.Scheme);
    }

    [Fact]
    public async Task Request_NoCredentials_Is401ButHealthzAnswers()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var http = server.AnonymousHttp();

        using var list = await http.GetAsync("/api/v1/pods");
        using var health = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Contains("\"reason\":\"Unauthorized\"", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Request_UserWithoutAnyRole_Is403WithKubernetesMessage()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var http = server.HttpAs("alice");

        using var response = await http.GetAsync("/api/v1/namespaces/default/pods");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("pods is forbidden: User \\\"alice\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" in the namespace \\\"default\\\"",
            await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_AdminKubeconfig_ListsNamespaces()
    {
        await using var server = await SecuredApiServer.StartAsync();

        var result = server.Kubectl(server.AdminKubeconfigPath, "get", "namespaces", "-o", "name");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("namespace/default", result.Stdout, StringComparison.Ordinal);
    }
}
