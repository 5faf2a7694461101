using System.Net;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Pki;
using KubeProxyFast.Storage.Etcd;

namespace KubeProxyFast.Testing;

/// <summary>
/// The certificates of a TLS etcd (<see cref="EtcdServer.LaunchTls"/>): its own CA, a serving
/// certificate for 127.0.0.1 and a client certificate, as PEM files (what etcd and the
/// <c>--etcd-*file</c> flags read) and as objects.
/// </summary>
public sealed class EtcdServerTls : IDisposable
{
    private EtcdServerTls(string directory, CertificateAuthority authority, X509Certificate2 client)
    {
        Directory = directory;
        Authority = authority;
        ClientCertificate = client;
    }

    /// <summary>The folder of the PEM files.</summary>
    public string Directory { get; }

    /// <summary>The CA of etcd's serving and client certificates.</summary>
    public CertificateAuthority Authority { get; }

    /// <summary>A client certificate (CN kube-apiserver-etcd-client) etcd accepts.</summary>
    public X509Certificate2 ClientCertificate { get; }

    /// <summary>The CA as a PEM file (<c>--trusted-ca-file</c>, <c>--etcd-cafile</c>).</summary>
    public string CaPath => Path.Combine(Directory, "ca.crt");

    /// <summary>etcd's serving certificate file.</summary>
    public string ServingCertificatePath => Path.Combine(Directory, "server.crt");

    /// <summary>etcd's serving key file.</summary>
    public string ServingKeyPath => Path.Combine(Directory, "server.key");

    /// <summary>The client certificate file (<c>--etcd-certfile</c>).</summary>
    public string ClientCertificatePath => Path.Combine(Directory, "client.crt");

    /// <summary>The client key file (<c>--etcd-keyfile</c>).</summary>
    public string ClientKeyPath => Path.Combine(Directory, "client.key");

    /// <summary>TLS settings for <see cref="EtcdStore"/> that trust this CA and present the client certificate.</summary>
    public EtcdTls StoreTls => new() { CertificateAuthorities = [Authority.Certificate], ClientCertificate = ClientCertificate };

    /// <summary>Makes the CA and certificates and writes them under <paramref name="directory"/>.</summary>
    public static EtcdServerTls Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var authority = CertificateAuthority.Create("kpf-test-etcd-ca", TimeProvider.System);
        using var serving = authority.Issue(new LeafSpec
        {
            CommonName = "etcd",
            DnsNames = ["localhost"],
            IpAddresses = [IPAddress.Loopback],
            Usage = CertificateUsage.Server | CertificateUsage.Client,
        }, TimeProvider.System);
        var client = authority.Issue(new LeafSpec { CommonName = "kube-apiserver-etcd-client" }, TimeProvider.System);
        var tls = new EtcdServerTls(directory, authority, client);
        PemFiles.WriteOwnerOnly(tls.CaPath, PemFiles.Encode(authority.Certificate));
        PemFiles.WriteCertificateAndKey(tls.ServingCertificatePath, tls.ServingKeyPath, serving);
        PemFiles.WriteCertificateAndKey(tls.ClientCertificatePath, tls.ClientKeyPath, client);
        return tls;
    }

    /// <summary>An HTTP handler that trusts this CA and presents the client certificate (etcd's /health).</summary>
    public HttpMessageHandler CreateHandler() => new SocketsHttpHandler { SslOptions = StoreTls.ClientOptions(["127.0.0.1"]) };

    public void Dispose()
    {
        ClientCertificate.Dispose();
        Authority.Dispose();
    }
}
