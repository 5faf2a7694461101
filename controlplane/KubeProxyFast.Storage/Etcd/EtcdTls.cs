using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Storage.Etcd;

/// <summary>
/// TLS toward etcd, as kube-apiserver's <c>--etcd-cafile</c>, <c>--etcd-certfile</c> and
/// <c>--etcd-keyfile</c>: the CAs etcd's serving certificates must chain to (the machine's trust
/// store when none), and the client certificate etcd's <c>--client-cert-auth</c> asks for.
/// </summary>
public sealed record EtcdTls
{
    /// <summary>The CAs that sign etcd's serving certificates; null to use the machine's trust store.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    /// <summary>The client certificate, with its private key; null to present none.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// The client TLS options for connections to <paramref name="hosts"/>. A serving certificate
    /// must chain to <see cref="CertificateAuthorities"/> (only those, when given) and name one of
    /// the hosts: gRPC's balancer dials each endpoint under the channel's one target name, so the
    /// name is checked against the whole endpoint list here rather than against that target.
    /// </summary>
    public SslClientAuthenticationOptions ClientOptions(IReadOnlyList<string> hosts)
    {
        var options = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => Verify(certificate as X509Certificate2, errors, hosts),
        };
        if (ClientCertificate is { } client)
        {
            options.ClientCertificates = [client];
            options.LocalCertificateSelectionCallback = (_, _, _, _, _) => client;
        }

        return options;
    }

    private bool Verify(X509Certificate2? certificate, SslPolicyErrors errors, IReadOnlyList<string> hosts)
    {
        if (certificate is null)
        {
            return false;
        }

        if (!hosts.Any(host => certificate.MatchesHostname(host, allowWildcards: true, allowCommonName: false)))
        {
            return false;
        }

        if (CertificateAuthorities is not { } authorities)
        {
            // The machine's trust store judged the chain; the name was checked above.
            return (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0;
        }

        return CertificateChains.Verify(certificate, authorities);
    }
}
