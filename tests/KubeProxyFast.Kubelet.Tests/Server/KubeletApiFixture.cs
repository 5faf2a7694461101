using System.Net;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Security;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Metrics;
using KubeProxyFast.Kubelet.Server;
using KubeProxyFast.Pki;
using KubeProxyFast.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Kubelet.Tests.Server;

/// <summary>
/// A secured apiserver (the webhooks' backend and the publisher of the client CA) and a kubelet API
/// served in-process on a loopback port for node <see cref="NodeName"/>, its client acting as
/// <c>admin</c>; clients for the kubelet's API as any user. Removed on dispose.
/// </summary>
internal sealed class KubeletApiFixture : IAsyncDisposable
{
    public const string NodeName = "kubelet-api-node";

    private readonly List<IDisposable> _owned = [];

    private KubeletApiFixture(SecuredApiServer apiServer, KubeClient kubeletClient, string directory)
    {
        ApiServer = apiServer;
        KubeletClient = kubeletClient;
        Directory = directory;
    }

    public SecuredApiServer ApiServer { get; }

    /// <summary>The kubelet's client of the apiserver.</summary>
    public KubeClient KubeletClient { get; }

    /// <summary>The kubelet's data directory (its <c>pki/</c>).</summary>
    public string Directory { get; }

    public string Pki => Path.Combine(Directory, "pki");

    public KubeletServer Server { get; private set; } = null!;

    public MetricsRegistry Metrics { get; } = new();

    /// <summary>Files removed on dispose (a token file made before the fixture).</summary>
    public List<string> Files { get; } = [];

    /// <summary>What <c>/pods</c> answers.</summary>
    public List<Pod> Pods { get; } = [];

    public static async Task<KubeletApiFixture> StartAsync(
        KubeletServerOptions? options = null, Func<ApiServerSecurity, ApiServerSecurity>? configure = null, Action<string>? prepare = null)
    {
        var apiServer = await SecuredApiServer.StartAsync(configure: configure);
        var directory = System.IO.Directory.CreateTempSubdirectory("kpf-kubelet-api-").FullName;
        var fixture = new KubeletApiFixture(apiServer, apiServer.ClientAs("admin", "system:masters"), directory);
        try
        {
            prepare?.Invoke(fixture.Pki);
            fixture.Server = await KubeletServer.StartAsync(
                (options ?? new KubeletServerOptions()) with { Address = IPAddress.Loopback, Port = 0 },
                fixture.KubeletClient, NodeName, fixture.Pki, [IPAddress.Loopback], () => fixture.Pods, fixture.Metrics,
                NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
            return fixture;
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
    }

    /// <summary>The CA the kubelet's serving certificate chains to: the last certificate of its file (the self-signed one's CA).</summary>
    public X509Certificate2Collection ServingCas(string certificateFile = "kubelet.crt")
    {
        var chain = PemFiles.ReadCertificates(Path.Combine(Pki, certificateFile));
        return [chain[^1]];
    }

    /// <summary>An HttpClient of the kubelet's API as <paramref name="user"/> in <paramref name="groups"/> (a client certificate from the apiserver's client CA).</summary>
    public HttpClient As(string user, params string[] groups) =>
        Http(KubeClientCredentials.WithCertificate(ServingCas(), Own(ApiServer.IssueClientCertificate(user, groups))));

    /// <summary>An HttpClient sending <paramref name="certificate"/>.</summary>
    public HttpClient WithCertificate(X509Certificate2 certificate) => Http(KubeClientCredentials.WithCertificate(ServingCas(), Own(certificate)));

    /// <summary>An HttpClient sending <paramref name="token"/>.</summary>
    public HttpClient WithToken(string token) => Http(KubeClientCredentials.WithToken(ServingCas(), token));

    /// <summary>An HttpClient without credentials.</summary>
    public HttpClient Anonymous() => Http(new KubeClientCredentials { CertificateAuthorities = ServingCas() });

    /// <summary>An HttpClient of <paramref name="url"/> (the fixture's server by default) with <paramref name="credentials"/>.</summary>
    public HttpClient Http(KubeClientCredentials credentials, Uri? url = null)
    {
        var http = new HttpClient(credentials.CreateHandler()) { BaseAddress = url ?? Server.Url, Timeout = TimeSpan.FromSeconds(60) };
        _owned.Add(http);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Server is not null)
            {
                await Server.DisposeAsync();
            }
        }
        finally
        {
            foreach (var owned in _owned)
            {
                owned.Dispose();
            }

            KubeletClient.Dispose();
            foreach (var file in Files)
            {
                File.Delete(file);
            }

            await ApiServer.DisposeAsync();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private X509Certificate2 Own(X509Certificate2 certificate)
    {
        _owned.Add(certificate);
        return certificate;
    }
}
