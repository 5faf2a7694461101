using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Cli.Roles.ApiServer.Pki;
using KubeProxyFast.Cli.Tests.Support;
using KubeProxyFast.Client;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Cli.Tests.Roles.ApiServer;

/// <summary>
/// A real <c>kpf server</c> child serving HTTPS with its own PKI: kubectl on the written kubeconfig,
/// the files' modes, the serving certificate's names, anonymous and foreign-CA clients refused,
/// the operator's certificate served, certificates reused and renewed across a restart, plain HTTP
/// only on loopback.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServerTlsTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Server_Default_KubectlWorksWithTheWrittenKubeconfigAndTheFilesAreOwnerOnly()
    {
        await using var server = await ServerProcess.StartAsync("--disable", "controllers,scheduler");

        var namespaces = server.Kubectl("get", "namespaces", "-o", "name");

        Assert.Contains("namespace/default", namespaces, StringComparison.Ordinal);
        Assert.Equal("https", server.Url.Scheme);
        Assert.Contains($"server: https://127.0.0.1:{server.Url.Port}", await File.ReadAllTextAsync(server.KubeconfigPath), StringComparison.Ordinal);
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(server.KubeconfigPath));
        var tls = Path.Combine(server.Directory, "tls");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(tls));
        Assert.All(Directory.GetFiles(tls), f => Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(f)));
        Assert.Contains("client-kube-apiserver-kubelet-client.key", Directory.GetFiles(tls).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Server_TlsSanAndKubeconfigMode_TheServedCertificateNamesThemAndTheFileHasTheMode()
    {
        await using var server = await ServerProcess.StartAsync("--disable", "controllers,scheduler", "--tls-san", "api.example.test,198.18.0.50", "--tls-san", "other.example.test",
            "--write-kubeconfig-mode", "0644");

        using var presented = await PresentedAsync(server.Url);

        var (dns, ips) = CertificateNames.AlternativeNames(presented.Extensions.Cast<X509Extension>());
        Assert.Contains("api.example.test", dns);
        Assert.Contains("other.example.test", dns);
        Assert.Contains("kubernetes.default.svc.cluster.local", dns);
        Assert.Contains(IPAddress.Parse("198.18.0.50"), ips);
        Assert.Contains(IPAddress.Loopback, ips);
        Assert.Equal(OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(server.KubeconfigPath));
    }

    [Fact]
    public async Task Server_AnonymousClient_ApiIs401AndHealthzIs200()
    {
        await using var server = await ServerProcess.StartAsync("--disable", "controllers,scheduler");
        var trust = KubeClient.ReadKubeconfig(server.KubeconfigPath).Credentials.CertificateAuthorities;
        using var anonymous = new HttpClient(new KubeClientCredentials { CertificateAuthorities = trust }.CreateHandler()) { BaseAddress = server.Url };

        using var api = await anonymous.GetAsync(new Uri("/api", UriKind.Relative));
        using var healthz = await anonymous.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
    }

    [Fact]
    public async Task Server_ClientTrustingAnotherCa_IsRefusedTheConnection()
    {
        await using var server = await ServerProcess.StartAsync("--disable", "controllers,scheduler");
        using var other = CertificateAuthority.Create("another-ca", TimeProvider.System);
        using var client = new HttpClient(new KubeClientCredentials { CertificateAuthorities = [other.Certificate] }.CreateHandler()) { BaseAddress = server.Url };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("/healthz", UriKind.Relative)));

        Assert.IsType<System.Security.Authentication.AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task Server_OperatorServingCertificate_IsWhatItPresentsAndKubectlTrustsItsChain()
    {
        var files = Directory.CreateTempSubdirectory("kpf-operator-tls-").FullName;
        try
        {
            using var operatorCa = CertificateAuthority.Create("operator-ca", TimeProvider.System);
            using var serving = operatorCa.Issue(
                new LeafSpec { CommonName = "operator-apiserver", IpAddresses = [IPAddress.Loopback], DnsNames = ["localhost"], Usage = CertificateUsage.Server },
                TimeProvider.System);
            var certificateFile = Path.Combine(files, "serving.crt");
            var keyFile = Path.Combine(files, "serving.key");
            PemFiles.WriteCertificateAndKey(certificateFile, keyFile, serving, operatorCa.Certificate);

            await using var server = await ServerProcess.StartAsync("--disable", "controllers,scheduler", "--tls-cert-file", certificateFile, "--tls-private-key-file", keyFile);
            using var presented = await PresentedAsync(server.Url);
            var namespaces = server.Kubectl("get", "namespaces", "-o", "name");

            Assert.Equal(serving.Thumbprint, presented.Thumbprint);
            Assert.Contains("namespace/default", namespaces, StringComparison.Ordinal);
            Assert.False(File.Exists(new TlsDirectory(server.Directory).ServingCertificate), "no serving certificate is issued beside the operator's");
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    [Fact]
    public async Task Server_Restart_ReusesTheCasAndCertificatesAndRenewsADueOne()
    {
        var directory = Directory.CreateTempSubdirectory("kpf-restart-tls-").FullName;
        try
        {
            var files = new TlsDirectory(directory);
            await using (var first = await ServerProcess.StartInAsync(directory, "--disable", "controllers,scheduler"))
            {
                Assert.Equal(0, await first.StopAsync());
            }

            var serverCa = await File.ReadAllBytesAsync(files.ServerCaCertificate);
            var clientCa = await File.ReadAllBytesAsync(files.ClientCaCertificate);
            var serving = await File.ReadAllBytesAsync(files.ServingCertificate);
            // The admin certificate is rewritten ending in 30 days, from the same CA: due (90-day window).
            using (var ca = PemFiles.ReadAuthority(files.ClientCaCertificate, files.ClientCaKey))
            using (var shortLived = ca.Issue(new LeafSpec { CommonName = "system:admin", Organizations = ["system:masters"], Lifetime = TimeSpan.FromDays(30) }, TimeProvider.System))
            {
                PemFiles.WriteCertificateAndKey(files.ClientCertificate(ClientIdentity.Admin), files.ClientKey(ClientIdentity.Admin), shortLived);
            }

            await using var second = await ServerProcess.StartInAsync(directory, "--disable", "controllers,scheduler");
            var namespaces = second.Kubectl("get", "namespaces", "-o", "name");

            Assert.Contains("namespace/default", namespaces, StringComparison.Ordinal);
            Assert.Equal(serverCa, await File.ReadAllBytesAsync(files.ServerCaCertificate));
            Assert.Equal(clientCa, await File.ReadAllBytesAsync(files.ClientCaCertificate));
            Assert.Equal(serving, await File.ReadAllBytesAsync(files.ServingCertificate));
            using var admin = PemFiles.ReadCertificates(files.ClientCertificate(ClientIdentity.Admin))[0];
            Assert.True(admin.NotAfter.ToUniversalTime() > DateTime.UtcNow.AddDays(300), $"the admin certificate was renewed (ends {admin.NotAfter:O})");
            Assert.Contains(second.Process.Stdout, l => l.Contains("client-admin.crt (due for renewal", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Server_InsecurePort_ServesPlainHttpOnLoopbackAsClusterAdmin()
    {
        await using var server = await ServerProcess.StartAsync("--disable", "controllers,scheduler", "--insecure-port", "0");
        var line = await server.Process.WaitForLineAsync("plain HTTP, no authentication, on http://127.0.0.1:");
        var insecure = new Uri(line[line.IndexOf("http://", StringComparison.Ordinal)..].Split(')')[0]);
        using var plain = new HttpClient { BaseAddress = insecure };

        using var namespaces = await plain.GetAsync(new Uri("/api/v1/namespaces", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, namespaces.StatusCode);
    }

    [Fact]
    public async Task Server_NodeToken_PinsTheServedCaIsOwnerOnlyAndSurvivesARestartWithItsSecret()
    {
        var directory = Directory.CreateTempSubdirectory("kpf-node-token-").FullName;
        try
        {
            var path = Path.Combine(directory, "token");
            string text;
            await using (var first = await ServerProcess.StartInAsync(directory, "--disable", "controllers,scheduler"))
            {
                text = (await File.ReadAllTextAsync(path)).Trim();
                var token = JoinToken.Parse(text);
                var trust = KubeClient.ReadKubeconfig(first.KubeconfigPath).Credentials.CertificateAuthorities;
                using var anonymous = new HttpClient(new KubeClientCredentials { CertificateAuthorities = trust }.CreateHandler()) { BaseAddress = first.Url };
                var served = await anonymous.GetByteArrayAsync(new Uri("/cacerts", UriKind.Relative));
                var secret = await first.Client.GetAsync<Secret>("kube-system", "bootstrap-token-" + token.TokenId);

                Assert.True(CaHash.Matches(served, token.CaHash), "the token pins the CA bundle /cacerts serves");
                Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
                Assert.Equal("bootstrap.kubernetes.io/token", secret.Type);
                Assert.Equal("system:bootstrappers:kpf:default-node-token", System.Text.Encoding.UTF8.GetString(secret.Data!["auth-extra-groups"]));
                Assert.Equal("true", System.Text.Encoding.UTF8.GetString(secret.Data["usage-bootstrap-authentication"]));
                Assert.False(secret.Data.ContainsKey("expiration"), "the node token does not expire");
                Assert.Contains(first.Process.Stdout, l => l.Contains($"node join token in {path}", StringComparison.Ordinal));
                first.Kubectl("-n", "kube-system", "delete", "secret", "bootstrap-token-" + token.TokenId);
                Assert.Equal(0, await first.StopAsync());
            }

            await using var second = await ServerProcess.StartInAsync(directory, "--disable", "controllers,scheduler");
            var again = JoinToken.Parse(await File.ReadAllTextAsync(path));

            Assert.Equal(text, again.Format());
            Assert.NotNull(await second.Client.GetAsync<Secret>("kube-system", "bootstrap-token-" + again.TokenId));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The certificate the server presents on <paramref name="url"/>'s port.</summary>
    private static async Task<X509Certificate2> PresentedAsync(Uri url)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, url.Port);
        X509Certificate2? presented = null;
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                // Captured, not trusted: nothing is sent on this connection.
                presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return presented is not null;
            },
        });
        return presented!;
    }
}
