using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Kubelet.Server;
using KubeProxyFast.Pki;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Server;

/// <summary>Which certificate the kubelet's API serves: given files, the CSR-issued one, else a self-signed one; rotated files serve the next handshake.</summary>
public sealed class ServingCertificateTests
{
    [Fact]
    public async Task Start_NoCertificateFiles_ServesASelfSignedOneForTheNodeKeptAcrossRestarts()
    {
        await using var fixture = await KubeletApiFixture.StartAsync();
        var served = await ServedCertificateAsync(fixture.Server.Url);
        var file = Path.Combine(fixture.Pki, "kubelet.crt");

        Assert.True(File.Exists(file));
        Assert.True(File.Exists(Path.Combine(fixture.Pki, "kubelet.key")));
        Assert.Equal(PemFiles.ReadCertificates(file)[0].Thumbprint, served.Thumbprint);
        var (dns, ips) = CertificateNames.AlternativeNames(served.Extensions.Cast<X509Extension>());
        Assert.Contains(KubeletApiFixture.NodeName, dns);
        Assert.Contains(IPAddress.Loopback, ips);

        // A restart serves the same certificate.
        await fixture.Server.DisposeAsync();
        await using var again = await StartOnAsync(fixture, new KubeletServerOptions());
        Assert.Equal(served.Thumbprint, (await ServedCertificateAsync(again.Url)).Thumbprint);
    }

    [Fact]
    public async Task Start_IssuedCertificate_IsServedAndReloadedWhenRotated()
    {
        using var serverCa = CertificateAuthority.Create("kubelet-serving-ca", TimeProvider.System);
        await using var fixture = await KubeletApiFixture.StartAsync(prepare: pki => Write(pki, serverCa, "system:node:first"));

        Assert.Equal("system:node:first", CertificateNames.CommonName((await ServedCertificateAsync(fixture.Server.Url)).SubjectName));
        Assert.False(File.Exists(Path.Combine(fixture.Pki, "kubelet.crt")));

        Write(fixture.Pki, serverCa, "system:node:second");

        await Eventually.True(
            async () => CertificateNames.CommonName((await ServedCertificateAsync(fixture.Server.Url)).SubjectName) == "system:node:second",
            "the rotated certificate served");
        using var response = await fixture.Http(
            new KubeProxyFast.Client.KubeClientCredentials
            {
                CertificateAuthorities = [serverCa.Certificate],
                ClientCertificate = () => fixture.ApiServer.IssueClientCertificate("admin", "system:masters"),
            }).GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_TlsCertFile_ServesItOverTheIssuedOne()
    {
        using var serverCa = CertificateAuthority.Create("kubelet-serving-ca", TimeProvider.System);
        using var operatorCa = CertificateAuthority.Create("operator-ca", TimeProvider.System);
        string certificate = "", key = "";
        await using var fixture = await KubeletApiFixture.StartAsync(prepare: pki =>
        {
            Write(pki, serverCa, "system:node:issued");
            certificate = Path.Combine(pki, "operator.crt");
            key = Path.Combine(pki, "operator.key");
            using var leaf = operatorCa.Issue(new LeafSpec { CommonName = "operator-given", IpAddresses = [IPAddress.Loopback], Usage = CertificateUsage.Server }, TimeProvider.System);
            PemFiles.WriteCertificateAndKey(certificate, key, leaf, operatorCa.Certificate);
        });
        await fixture.Server.DisposeAsync();

        await using var server = await StartOnAsync(fixture, new KubeletServerOptions { TlsCertFile = certificate, TlsPrivateKeyFile = key });

        Assert.Equal("operator-given", CertificateNames.CommonName((await ServedCertificateAsync(server.Url)).SubjectName));
    }

    private static void Write(string pki, CertificateAuthority ca, string commonName)
    {
        Directory.CreateDirectory(pki);
        using var leaf = ca.Issue(new LeafSpec { CommonName = commonName, Organizations = ["system:nodes"], IpAddresses = [IPAddress.Loopback], Usage = CertificateUsage.Server },
            TimeProvider.System);
        var certificate = Path.Combine(pki, ServingCertificate.IssuedCertificateName);
        // A rotation within the same second as the last write still changes the modification time the server compares.
        var stamp = File.Exists(certificate) ? File.GetLastWriteTimeUtc(certificate) : DateTime.MinValue;
        PemFiles.WriteCertificateAndKey(certificate, Path.Combine(pki, ServingCertificate.IssuedKeyName), leaf);
        if (File.GetLastWriteTimeUtc(certificate) == stamp)
        {
            File.SetLastWriteTimeUtc(certificate, stamp.AddSeconds(1));
        }
    }

    private static Task<KubeletServer> StartOnAsync(KubeletApiFixture fixture, KubeletServerOptions options) =>
        KubeletServer.StartAsync(options with { Address = IPAddress.Loopback, Port = 0 }, fixture.KubeletClient, KubeletApiFixture.NodeName, fixture.Pki,
            [IPAddress.Loopback], () => [], fixture.Metrics, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);

    /// <summary>The certificate a new TLS connection to <paramref name="url"/> is shown.</summary>
    private static async Task<X509Certificate2> ServedCertificateAsync(Uri url)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port);
        await using var tls = new SslStream(tcp.GetStream());
        X509Certificate2? served = null;
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                // Only looked at, never trusted: the test reads which certificate was offered.
                served = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return served is not null;
            },
        });
        return served!;
    }
}
