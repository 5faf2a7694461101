using System.Net;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.ApiServer;
using KubeProxyFast.ApiServer.Security;
using KubeProxyFast.Client;
using KubeProxyFast.Pki;
using KubeProxyFast.Storage;
using KubeProxyFast.Storage.Embedded;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Testing;

/// <summary>
/// A real apiserver serving HTTPS on a free loopback port with authentication and authorization on,
/// over a real store (in memory unless given one), with its own server CA (the serving certificate
/// names 127.0.0.1, ::1 and localhost) and client CA, and helpers that make clients as any user:
/// HttpClients and KubeClients with a client certificate or a bearer token, and kubeconfigs for
/// kubectl. Everything is removed on dispose.
/// </summary>
public sealed class SecuredApiServer : IAsyncDisposable
{
    private readonly bool _ownsStore;
    private readonly List<IDisposable> _owned = [];

    private SecuredApiServer(ApiServerHost host, IStore store, bool ownsStore, string directory, CertificateAuthority serverCa, CertificateAuthority clientCa)
    {
        Host = host;
        Store = store;
        _ownsStore = ownsStore;
        Directory = directory;
        ServerCa = serverCa;
        ClientCa = clientCa;
        ServerCaPem = PemFiles.Encode(serverCa.Certificate);
        ServerCaPath = Path.Combine(directory, "server-ca.crt");
        File.WriteAllText(ServerCaPath, ServerCaPem);
        AdminKubeconfigPath = WriteKubeconfig("admin", "system:masters");
    }

    public ApiServerHost Host { get; }

    public IStore Store { get; }

    /// <summary>The HTTPS URL.</summary>
    public Uri Url => Host.Url;

    /// <summary>A temporary directory of this server's (kubeconfigs, CA file, kubectl's HOME).</summary>
    public string Directory { get; }

    /// <summary>The CA of the serving certificate: what clients trust.</summary>
    public CertificateAuthority ServerCa { get; }

    /// <summary>The CA the server verifies client certificates against.</summary>
    public CertificateAuthority ClientCa { get; }

    /// <summary>The server CA as PEM text.</summary>
    public string ServerCaPem { get; }

    /// <summary>The server CA as a PEM file (for the Python client, curl).</summary>
    public string ServerCaPath { get; }

    /// <summary>A kubeconfig of <c>admin</c> in <c>system:masters</c>.</summary>
    public string AdminKubeconfigPath { get; }

    /// <summary>The server CA as a collection, for <see cref="KubeClientCredentials"/>.</summary>
    public X509Certificate2Collection TrustedCas => [ServerCa.Certificate];

    /// <summary>
    /// Starts a secured apiserver over <paramref name="store"/> (not disposed with it) or a fresh
    /// in-memory one; <paramref name="configure"/> adjusts the security options (a token file, anonymous paths).
    /// </summary>
    public static async Task<SecuredApiServer> StartAsync(
        IStore? store = null, Func<ApiServerSecurity, ApiServerSecurity>? configure = null, ApiServerOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        var owns = store is null;
        store ??= EmbeddedStore.Open(new EmbeddedStoreOptions());
        var directory = System.IO.Directory.CreateTempSubdirectory("kpf-secured-").FullName;
        var serverCa = CertificateAuthority.Create("kpf-test-server-ca", TimeProvider.System);
        var clientCa = CertificateAuthority.Create("kpf-test-client-ca", TimeProvider.System);
        try
        {
            var serving = serverCa.Issue(new LeafSpec
            {
                CommonName = "kube-apiserver",
                DnsNames = ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"],
                IpAddresses = [IPAddress.Loopback, IPAddress.IPv6Loopback],
                Usage = CertificateUsage.Server,
            }, TimeProvider.System);
            var security = new ApiServerSecurity
            {
                ServingCertificate = serving,
                ClientCertificateAuthorities = [clientCa.Certificate],
                ServerCaBundlePem = System.Text.Encoding.ASCII.GetBytes(PemFiles.Encode(serverCa.Certificate)),
            };
            security = configure?.Invoke(security) ?? security;
            var host = await ApiServerHost.StartAsync(
                store,
                (options ?? new ApiServerOptions { ServiceClusterIpRange = TestApiServer.ServiceClusterIpRange }) with { Port = 0, Security = security },
                loggerFactory ?? NullLoggerFactory.Instance);
            return new SecuredApiServer(host, store, owns, directory, serverCa, clientCa);
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            serverCa.Dispose();
            clientCa.Dispose();
            if (owns)
            {
                await store.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>A client certificate (with its key) for <paramref name="user"/> in <paramref name="groups"/>, from the client CA.</summary>
    public X509Certificate2 IssueClientCertificate(string user, params string[] groups) =>
        ClientCa.Issue(new LeafSpec { CommonName = user, Organizations = groups, Usage = CertificateUsage.Client }, TimeProvider.System);

    /// <summary>Credentials of <paramref name="user"/> in <paramref name="groups"/> (a client certificate), trusting the server CA.</summary>
    public KubeClientCredentials CredentialsOf(string user, params string[] groups) =>
        KubeClientCredentials.WithCertificate(TrustedCas, Own(IssueClientCertificate(user, groups)));

    /// <summary>An HttpClient of <paramref name="user"/> in <paramref name="groups"/> (a client certificate).</summary>
    public HttpClient HttpAs(string user, params string[] groups) => Http(CredentialsOf(user, groups));

    /// <summary>An HttpClient that sends <paramref name="token"/> as a bearer token.</summary>
    public HttpClient HttpWithToken(string token) => Http(KubeClientCredentials.WithToken(TrustedCas, token));

    /// <summary>An HttpClient that trusts the server but sends no credentials.</summary>
    public HttpClient AnonymousHttp() => Http(new KubeClientCredentials { CertificateAuthorities = TrustedCas });

    /// <summary>A KubeClient of <paramref name="user"/> in <paramref name="groups"/>.</summary>
    public KubeClient ClientAs(string user, params string[] groups) => new(Url, CredentialsOf(user, groups));

    /// <summary>Writes a kubeconfig of <paramref name="user"/> in <paramref name="groups"/> (client certificate embedded) and returns its path.</summary>
    public string WriteKubeconfig(string user, params string[] groups)
    {
        using var certificate = IssueClientCertificate(user, groups);
        var path = Path.Combine(Directory, "kubeconfig-" + user.Replace(':', '_') + "-" + Guid.NewGuid().ToString("N")[..8]);
        Kubeconfig.Write(path, Url, new KubeconfigCredentials(ServerCaPem, PemFiles.Encode(certificate), PemFiles.EncodeKey(certificate)));
        return path;
    }

    /// <summary>Writes a kubeconfig that sends <paramref name="token"/> and returns its path.</summary>
    public string WriteTokenKubeconfig(string token)
    {
        var path = Path.Combine(Directory, "kubeconfig-token-" + Guid.NewGuid().ToString("N")[..8]);
        Kubeconfig.Write(path, Url, new KubeconfigCredentials(ServerCaPem, Token: token));
        return path;
    }

    /// <summary>Runs kubectl with <paramref name="kubeconfig"/> and a private HOME.</summary>
    public ProcessResult Kubectl(string kubeconfig, params string[] args) => KubectlWithInput(kubeconfig, null, args);

    /// <summary>Runs kubectl with <paramref name="kubeconfig"/>, <paramref name="stdin"/> and a private HOME.</summary>
    public ProcessResult KubectlWithInput(string kubeconfig, string? stdin, params string[] args) =>
        ProcessResult.Run("kubectl", ["--kubeconfig", kubeconfig, .. args], stdin, new Dictionary<string, string> { ["HOME"] = Directory });

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.DisposeAsync();
        }
        finally
        {
            foreach (var owned in _owned)
            {
                owned.Dispose();
            }

            if (_ownsStore)
            {
                await Store.DisposeAsync();
            }

            ServerCa.Dispose();
            ClientCa.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private HttpClient Http(KubeClientCredentials credentials)
    {
        var client = new HttpClient(credentials.CreateHandler()) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        _owned.Add(client);
        return client;
    }

    private X509Certificate2 Own(X509Certificate2 certificate)
    {
        _owned.Add(certificate);
        return certificate;
    }
}
