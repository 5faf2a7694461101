using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace KubeProxyFast.Pki.Tests;

public sealed class CertificateAuthorityTests
{
    [Fact]
    public void Issue_ServerLeaf_ChainsToTheCaWithItsNames()
    {
        using var ca = CertificateAuthority.Create("kpf-server-ca", TimeProvider.System);
        using var leaf = ca.Issue(new LeafSpec
        {
            CommonName = "kube-apiserver",
            DnsNames = ["kubernetes.default.svc"],
            IpAddresses = [IPAddress.Parse("198.18.0.1")],
            Usage = CertificateUsage.Server,
        }, TimeProvider.System);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.True(leaf.HasPrivateKey);
        Assert.True(leaf.MatchesHostname("kubernetes.default.svc"));
        Assert.False(leaf.MatchesHostname("kubernetes.example"));
        var (dns, ips) = CertificateNames.AlternativeNames(leaf.Extensions.Cast<X509Extension>());
        Assert.Equal(["kubernetes.default.svc"], dns);
        Assert.Equal([IPAddress.Parse("198.18.0.1")], ips);
    }
}
