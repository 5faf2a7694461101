using System.Net;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Cli.Roles.ApiServer.Pki;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Cli.Tests.Roles.ApiServer;

/// <summary><c>kpf server</c>'s PKI on disk: made once, reused, leaves renewed when due or when their names change, CAs never replaced.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterPkiTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _directory = Directory.CreateTempSubdirectory("kpf-pki-").FullName;
    private readonly TlsDirectory _files;

    public ClusterPkiTests() => _files = new TlsDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ServingNames Names(params string[] sans) =>
        ServingNames.For(sans, IPAddress.Any, IPAddress.Parse("198.18.0.7"), "198.18.128.0/20", "cluster.example");

    [Fact]
    public void LoadOrCreate_EmptyDirectory_MakesEveryFileOwnerOnlyWithKubernetesNames()
    {
        using var pki = ClusterPki.LoadOrCreate(_files, Names("api.example.test", "198.18.0.99"), TimeProvider.System);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_files.Path));
        var files = Directory.GetFiles(_files.Path);
        Assert.Equal(14, files.Length);
        Assert.All(files, f => Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(f)));
        var (dns, ips) = CertificateNames.AlternativeNames(pki.ServingCertificate!.Extensions.Cast<X509Extension>());
        Assert.Superset(
            new HashSet<string> { "api.example.test", "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.example" },
            dns.ToHashSet());
        Assert.Superset(
            new HashSet<IPAddress> { IPAddress.Parse("198.18.0.99"), IPAddress.Parse("198.18.0.7"), IPAddress.Parse("198.18.128.1"), IPAddress.Loopback, IPAddress.IPv6Loopback },
            ips.ToHashSet());
        var admin = pki.ClientCertificate(ClientIdentity.Admin);
        Assert.Equal("system:admin", CertificateNames.CommonName(admin.SubjectName));
        Assert.Equal(["system:masters"], CertificateNames.Organizations(admin.SubjectName));
        Assert.Equal("system:kube-controller-manager", CertificateNames.CommonName(pki.ClientCertificate(ClientIdentity.ControllerManager).SubjectName));
        Assert.Equal("system:kube-scheduler", CertificateNames.CommonName(pki.ClientCertificate(ClientIdentity.Scheduler).SubjectName));
        Assert.Empty(CertificateNames.Organizations(pki.ClientCertificate(ClientIdentity.KubeletClient).SubjectName));
        Assert.Equal(pki.ClientCa.Certificate.Subject, admin.Issuer);
        Assert.Equal(pki.ServerCa.Certificate.Subject, pki.ServingCertificate.Issuer);
        Assert.NotEqual(pki.ServerCa.Certificate.Subject, pki.ClientCa.Certificate.Subject);
    }

    [Fact]
    public void LoadOrCreate_Again_ReusesEveryCertificate()
    {
        string[] before;
        using (var first = ClusterPki.LoadOrCreate(_files, Names(), TimeProvider.System))
        {
            before = Thumbprints(first);
        }

        using var second = ClusterPki.LoadOrCreate(_files, Names(), TimeProvider.System);

        Assert.Empty(second.Changes);
        Assert.Equal(before, Thumbprints(second));
    }

    [Fact]
    public void LoadOrCreate_LeafWithinTheRenewalWindow_IssuesItAgainAndKeepsTheCa()
    {
        string caBefore;
        using (var first = ClusterPki.LoadOrCreate(_files, Names(), TimeProvider.System))
        {
            caBefore = first.ClientCa.Certificate.Thumbprint;
        }

        // A scheduler certificate from the same CA that ends in 10 days: due (90-day window).
        using (var ca = PemFiles.ReadAuthority(_files.ClientCaCertificate, _files.ClientCaKey))
        using (var shortLived = ca.Issue(new LeafSpec { CommonName = "system:kube-scheduler", Lifetime = TimeSpan.FromDays(10) }, TimeProvider.System))
        {
            PemFiles.WriteCertificateAndKey(_files.ClientCertificate(ClientIdentity.Scheduler), _files.ClientKey(ClientIdentity.Scheduler), shortLived);
        }

        using var second = ClusterPki.LoadOrCreate(_files, Names(), TimeProvider.System);

        var renewed = second.ClientCertificate(ClientIdentity.Scheduler);
        Assert.True(renewed.NotAfter.ToUniversalTime() > DateTime.UtcNow.AddDays(300), $"renewed until {renewed.NotAfter:O}");
        Assert.Equal(caBefore, second.ClientCa.Certificate.Thumbprint);
        Assert.Contains(second.Changes, c => c.Contains("client-kube-scheduler.crt (due for renewal", StringComparison.Ordinal));
        Assert.Single(second.Changes);
    }

    [Fact]
    public void LoadOrCreate_TlsSanAdded_IssuesTheServingCertificateAgain()
    {
        using (ClusterPki.LoadOrCreate(_files, Names(), TimeProvider.System))
        {
        }

        using var second = ClusterPki.LoadOrCreate(_files, Names("new.example.test"), TimeProvider.System);

        var (dns, _) = CertificateNames.AlternativeNames(second.ServingCertificate!.Extensions.Cast<X509Extension>());
        Assert.Contains("new.example.test", dns);
        Assert.Contains(second.Changes, c => c.Contains("serving-kube-apiserver.crt (the addresses and names it must carry changed)", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadOrCreate_LeafOfAnotherCa_IssuesItAgain()
    {
        using (ClusterPki.LoadOrCreate(_files, Names(), TimeProvider.System))
        {
        }

        using (var stranger = CertificateAuthority.Create("someone-else", TimeProvider.System))
        using (var foreign = stranger.Issue(new LeafSpec { CommonName = "system:admin", Organizations = ["system:masters"] }, TimeProvider.System))
        {
            PemFiles.WriteCertificateAndKey(_files.ClientCertificate(ClientIdentity.Admin), _files.ClientKey(ClientIdentity.Admin), foreign);
        }

        using var second = ClusterPki.LoadOrCreate(_files, Names(), TimeProvider.System);

        Assert.Equal(second.ClientCa.Certificate.Subject, second.ClientCertificate(ClientIdentity.Admin).Issuer);
        Assert.Contains(second.Changes, c => c.Contains("client-admin.crt (not signed by the current CA)", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadOrCreate_CaKeyMissing_RefusesAndNeverReplacesTheCa()
    {
        using (ClusterPki.LoadOrCreate(_files, Names(), TimeProvider.System))
        {
        }

        var certificate = File.ReadAllBytes(_files.ServerCaCertificate);
        File.Delete(_files.ServerCaKey);

        var error = Assert.Throws<IOException>(() => ClusterPki.LoadOrCreate(_files, Names(), TimeProvider.System));

        Assert.Contains($"{_files.ServerCaKey} is missing", error.Message, StringComparison.Ordinal);
        Assert.Equal(certificate, File.ReadAllBytes(_files.ServerCaCertificate));
        Assert.False(File.Exists(_files.ServerCaKey));
    }

    [Fact]
    public void LoadOrCreate_OperatorServingCertificate_IssuesNoServingCertificate()
    {
        using var pki = ClusterPki.LoadOrCreate(_files, serving: null, TimeProvider.System);

        Assert.Null(pki.ServingCertificate);
        Assert.False(File.Exists(_files.ServingCertificate));
    }

    private static string[] Thumbprints(ClusterPki pki) =>
        [pki.ServerCa.Certificate.Thumbprint, pki.ClientCa.Certificate.Thumbprint, pki.ServingCertificate!.Thumbprint,
            .. ClientIdentity.All.Select(i => pki.ClientCertificate(i).Thumbprint)];
}
