using System.Net;
using k8s;
using KubeProxyFast.Client;
using KubeProxyFast.Pki;
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

    [Fact]
    public async Task Request_CertificateOfAnotherCa_Is401()
    {
        await using var server = await SecuredApiServer.StartAsync();
        using var stranger = CertificateAuthority.Create("not-the-client-ca", TimeProvider.System);
        using var certificate = stranger.Issue(new LeafSpec { CommonName = "admin", Organizations = ["system:masters"] }, TimeProvider.System);
        using var http = new HttpClient(KubeClientCredentials.WithCertificate(server.TrustedCas, certificate).CreateHandler()) { BaseAddress = server.Url };

        using var response = await http.GetAsync("/api/v1/namespaces");
        // A certificate that does not verify is never anonymous, not even on a health path.
        using var health = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, health.StatusCode);
    }

    [Fact]
    public async Task Connect_ClientTrustingAnotherCa_RefusesTheServer()
    {
        await using var server = await SecuredApiServer.StartAsync();
        using var otherCa = CertificateAuthority.Create("some-other-ca", TimeProvider.System);
        using var client = new KubeClient(server.Url, new KubeClientCredentials { CertificateAuthorities = [otherCa.Certificate] });

        var error = await Assert.ThrowsAsync<KubeConnectionException>(() => client.GetAsync<KubeProxyFast.Api.Core.Namespace>(null, "default"));

        Assert.Contains(server.Url.Authority, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_Http2_IsNegotiatedByAlpn()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var http = server.HttpAs("admin", "system:masters");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/version") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    [Fact]
    public async Task OfficialClient_AdminCertificateKubeconfig_ListsNamespaces()
    {
        await using var server = await SecuredApiServer.StartAsync();
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.AdminKubeconfigPath));

        var namespaces = await client.CoreV1.ListNamespaceAsync();

        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "kube-system");
    }

    [Fact]
    public async Task InsecurePort_Loopback_ServesWithoutCredentials()
    {
        await using var server = await SecuredApiServer.StartAsync(configure: s => s with { InsecurePort = 0 });
        using var http = new HttpClient { BaseAddress = server.Host.InsecureUrl };

        using var response = await http.GetAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http", server.Host.InsecureUrl!.Scheme);
    }

    [Fact]
    public async Task Start_InsecurePortOnNonLoopbackAddress_IsRefused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            SecuredApiServer.StartAsync(configure: s => s with { InsecurePort = 0, InsecureBindAddress = IPAddress.Any }));

        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
    }
}
