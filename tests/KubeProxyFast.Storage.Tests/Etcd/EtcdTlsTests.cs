using System.Text;
using KubeProxyFast.Pki;
using KubeProxyFast.Storage.Etcd;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Storage.Tests.Etcd;

/// <summary>One etcd serving TLS and requiring client certificates, for a test class.</summary>
public sealed class EtcdTlsFixture : IDisposable
{
    public EtcdServer Server { get; } = EtcdServer.LaunchTls();

    public EtcdServerTls Tls => Server.Tls!;

    public void Dispose() => Server.Dispose();
}

/// <summary>
/// The store on a real etcd with <c>--client-cert-auth</c>: it works with the CA and a client
/// certificate, over several endpoints; without a client certificate, with one from another CA, or
/// trusting another CA it fails with a StoreUnavailableException that says which side's certificate was refused.
/// </summary>
public sealed class EtcdTlsTests(EtcdTlsFixture etcd) : IClassFixture<EtcdTlsFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Store_CaAndClientCertificateOverTwoEndpoints_WritesAndReads()
    {
        var port = new Uri(etcd.Server.ClientUrl).Port;
        // Two endpoints (one etcd, reached by address and by name): the serving certificate names both.
        await using var store = new EtcdStore($"{etcd.Server.ClientUrl},https://localhost:{port}", Timeout, etcd.Tls.StoreTls);
        var key = "/tls/" + Guid.NewGuid().ToString("N");

        for (var i = 0; i < 4; i++)
        {
            var result = await store.CommitAsync(new StoreTxn([], [new StorePut(key + i, Encoding.UTF8.GetBytes("v" + i))]));
            Assert.True(result.Succeeded);
        }

        var read = await store.GetAsync(key + "3");
        Assert.Equal("v3", Encoding.UTF8.GetString(read!.Value.Span));
    }

    [Fact]
    public async Task Store_NoClientCertificate_IsUnavailableSayingTls()
    {
        await using var store = new EtcdStore(etcd.Server.ClientUrl, Timeout, etcd.Tls.StoreTls with { ClientCertificate = null });

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("/tls/any"));

        Assert.True(error.Message.Contains("refuses the client certificate", StringComparison.Ordinal), error.ToString());
        Assert.Contains(etcd.Server.ClientUrl, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_ClientCertificateOfAnotherCa_IsUnavailableSayingTls()
    {
        using var other = CertificateAuthority.Create("kpf-test-other-ca", TimeProvider.System);
        using var stranger = other.Issue(new LeafSpec { CommonName = "kube-apiserver-etcd-client" }, TimeProvider.System);
        await using var store = new EtcdStore(etcd.Server.ClientUrl, Timeout, etcd.Tls.StoreTls with { ClientCertificate = stranger });

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("/tls/any"));

        Assert.True(error.Message.Contains("refuses the client certificate", StringComparison.Ordinal), error.ToString());
    }

    [Fact]
    public async Task Store_TrustingAnotherCa_RefusesTheServer()
    {
        using var other = CertificateAuthority.Create("kpf-test-other-ca", TimeProvider.System);
        await using var store = new EtcdStore(etcd.Server.ClientUrl, Timeout, etcd.Tls.StoreTls with { CertificateAuthorities = [other.Certificate] });

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("/tls/any"));

        Assert.Contains("TLS handshake failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("--etcd-cafile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_PlainHttpToTlsEtcd_IsUnavailable()
    {
        var plain = etcd.Server.ClientUrl.Replace("https://", "http://", StringComparison.Ordinal);
        await using var store = new EtcdStore(plain, Timeout);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("/tls/any"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:2379,https://127.0.0.2:2379", false)]
    [InlineData("http://127.0.0.1:2379", true)]
    [InlineData("ftp://127.0.0.1:2379", false)]
    public void Constructor_InconsistentEndpoints_ThrowArgumentException(string endpoints, bool withTls)
    {
        Assert.Throws<ArgumentException>(() => new EtcdStore(endpoints, Timeout, withTls ? etcd.Tls.StoreTls : null));
    }
}
