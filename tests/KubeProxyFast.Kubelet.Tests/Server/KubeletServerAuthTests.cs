using System.Net;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Kubelet.Server;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Kubelet.Tests.Server;

/// <summary>
/// The kubelet's API as a kubelet run with <c>--anonymous-auth=false --authentication-token-webhook
/// --authorization-mode=Webhook</c>: over real TLS against a secured apiserver that reviews tokens
/// and access and publishes the client CA.
/// </summary>
public sealed class KubeletServerAuthTests
{
    [Fact]
    public async Task Request_NoCredentials_Is401()
    {
        await using var fixture = await KubeletApiFixture.StartAsync();

        using var response = await fixture.Anonymous().GetAsync("/pods");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthorized", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_CertificateOfAnotherCa_Is401()
    {
        await using var fixture = await KubeletApiFixture.StartAsync();
        using var other = CertificateAuthority.Create("not-the-cluster-client-ca", TimeProvider.System);
        var certificate = other.Issue(new LeafSpec { CommonName = "admin", Organizations = ["system:masters"] }, TimeProvider.System);

        using var response = await fixture.WithCertificate(certificate).GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Request_UserWithoutNodesProxy_Is403WithTheKubeletsMessage()
    {
        await using var fixture = await KubeletApiFixture.StartAsync();

        using var response = await fixture.As("alice", "team-a").GetAsync("/pods");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            $"Forbidden (user=alice, verb=get, resource=nodes, subresource(s)=[pods proxy])\n",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_UserWithoutNodesStats_Is403NamingStats()
    {
        await using var fixture = await KubeletApiFixture.StartAsync();

        using var response = await fixture.As("alice").PostAsync("/stats/summary", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Forbidden (user=alice, verb=create, resource=nodes, subresource(s)=[stats])\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_Admin_GetsPodsAndHealthz()
    {
        await using var fixture = await KubeletApiFixture.StartAsync();
        fixture.Pods.Add(new Pod
        {
            Kind = "Pod",
            ApiVersion = "v1",
            Metadata = { Name = "web", Namespace = "default", Uid = "uid-web" },
            Spec = new PodSpec { NodeName = KubeletApiFixture.NodeName },
            Status = new PodStatus { Phase = "Running", PodIP = "198.18.5.9" },
        });
        var http = fixture.As("admin", "system:masters");

        using var pods = await http.GetAsync("/pods");
        using var health = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, pods.StatusCode);
        var list = KubeJson.Deserialize<PodList>(await pods.Content.ReadAsByteArrayAsync());
        Assert.Equal("PodList", list.Kind);
        var pod = Assert.Single(list.Items);
        Assert.Equal("web", pod.Metadata.Name);
        Assert.Equal("198.18.5.9", pod.Status!.PodIP);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_AdminOverHttp2_IsServed()
    {
        await using var fixture = await KubeletApiFixture.StartAsync();
        var http = fixture.As("admin", "system:masters");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    [Fact]
    public async Task Request_AdminUnknownPath_Is404()
    {
        await using var fixture = await KubeletApiFixture.StartAsync();

        using var response = await fixture.As("admin", "system:masters").GetAsync("/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_Admin_CountsRequestsInPrometheusText()
    {
        await using var fixture = await KubeletApiFixture.StartAsync();
        var http = fixture.As("admin", "system:masters");
        (await http.GetAsync("/healthz")).Dispose();

        using var response = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains("kubelet_http_requests_total{method=\"GET\",path=\"healthz\",server_type=\"readwrite\"} 1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_TokenOfAMaster_IsAllowedThroughTokenReview()
    {
        await using var fixture = await StartWithTokensAsync();

        using var allowed = await fixture.WithToken("token-of-root").GetAsync("/pods");
        using var denied = await fixture.WithToken("token-of-bob").GetAsync("/pods");
        using var unknown = await fixture.WithToken("no-such-token").GetAsync("/pods");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("Forbidden (user=bob, verb=get, resource=nodes, subresource(s)=[pods proxy])\n", await denied.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    [Fact]
    public async Task Request_TokenWebhookOff_TokenIs401()
    {
        await using var fixture = await StartWithTokensAsync(new KubeletServerOptions { AuthenticationTokenWebhook = false });

        using var response = await fixture.WithToken("token-of-root").GetAsync("/pods");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Request_AlwaysAllowAndAnonymousAuth_AnonymousIsServed()
    {
        await using var fixture = await KubeletApiFixture.StartAsync(new KubeletServerOptions { AnonymousAuth = true, AuthorizationMode = KubeletAuthorizationMode.AlwaysAllow });

        using var response = await fixture.Anonymous().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_AnonymousAuthWithWebhook_AnonymousIs403()
    {
        await using var fixture = await KubeletApiFixture.StartAsync(new KubeletServerOptions { AnonymousAuth = true });

        using var response = await fixture.Anonymous().GetAsync("/pods");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[pods proxy])\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_ClientCaFile_VerifiesAgainstTheFile()
    {
        using var fileCa = CertificateAuthority.Create("kubelet-file-client-ca", TimeProvider.System);
        string? caFile = null;
        await using var fixture = await KubeletApiFixture.StartAsync(
            new KubeletServerOptions { AuthorizationMode = KubeletAuthorizationMode.AlwaysAllow },
            prepare: pki =>
            {
                Directory.CreateDirectory(pki);
                caFile = Path.Combine(pki, "client-ca.crt");
                File.WriteAllText(caFile, PemFiles.Encode(fileCa.Certificate));
            });
        await fixture.Server.DisposeAsync();
        await using var server = await KubeletServer.StartAsync(
            new KubeletServerOptions { Address = IPAddress.Loopback, Port = 0, ClientCaFile = caFile, AuthorizationMode = KubeletAuthorizationMode.AlwaysAllow },
            fixture.KubeletClient, KubeletApiFixture.NodeName, fixture.Pki, [IPAddress.Loopback], () => [], fixture.Metrics,
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        var fromFile = fileCa.Issue(new LeafSpec { CommonName = "carol" }, TimeProvider.System);
        var fromCluster = fixture.ApiServer.IssueClientCertificate("dave");

        using var accepted = await Client(fixture, server, fromFile).GetAsync("/healthz");
        using var refused = await Client(fixture, server, fromCluster).GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private static HttpClient Client(KubeletApiFixture fixture, KubeletServer server, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        fixture.Http(KubeProxyFast.Client.KubeClientCredentials.WithCertificate(fixture.ServingCas(), certificate), server.Url);

    private static async Task<KubeletApiFixture> StartWithTokensAsync(KubeletServerOptions? options = null)
    {
        var tokens = Path.Combine(Path.GetTempPath(), "kpf-kubelet-tokens-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(tokens, "token-of-root,root,uid-root,\"system:masters\"\ntoken-of-bob,bob,uid-bob\n");
        try
        {
            var fixture = await KubeletApiFixture.StartAsync(options, configure: security => security with { TokenAuthFile = tokens });
            fixture.Files.Add(tokens);
            return fixture;
        }
        catch
        {
            File.Delete(tokens);
            throw;
        }
    }
}
