using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Client;

namespace KubeProxyFast.Testing;

/// <summary>
/// TLS for a test's own <see cref="SocketsHttpHandler"/> (one that connects inside a network
/// namespace, say) as a kubeconfig says it: the server's certificate must chain to the
/// kubeconfig's CA, and the kubeconfig's client certificate is presented. The kubeconfig is read at
/// the first handshake, so the handler may be made before <c>kpf server</c> has written it.
/// </summary>
public static class KubeconfigTls
{
    /// <summary>Sets <paramref name="handler"/>'s TLS options from the kubeconfig at <paramref name="kubeconfigPath"/> (read when first needed).</summary>
    public static SocketsHttpHandler Apply(SocketsHttpHandler handler, Func<string> kubeconfigPath)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var credentials = new Lazy<KubeClientCredentials>(() => KubeClient.ReadKubeconfig(kubeconfigPath()).Credentials);
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(credentials.Value, certificate as X509Certificate2, errors),
            LocalCertificateSelectionCallback = (_, _, _, _, _) => credentials.Value.ClientCertificate?.Invoke()!,
        };
        return handler;
    }

    /// <summary>True when <paramref name="certificate"/> names the host and chains to the CA of <paramref name="credentials"/>.</summary>
    public static bool Trusted(KubeClientCredentials credentials, X509Certificate2? certificate, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        // The host name must match; only the chain is judged against the kubeconfig's CA instead of the system's.
        if (certificate is null || credentials.CertificateAuthorities is not { } authorities || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
