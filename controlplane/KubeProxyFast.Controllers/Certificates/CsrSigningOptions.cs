using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Controllers.Certificates;

/// <summary>
/// Settings of the csrsigning controller, as kube-controller-manager's flags: one CA for every
/// signer (<c>--cluster-signing-cert-file</c>/<c>-key-file</c>) or one per signer
/// (<c>--cluster-signing-kube-apiserver-client-*</c>, <c>-kubelet-client-*</c>, <c>-kubelet-serving-*</c>),
/// not both; and the longest certificate it issues (<c>--cluster-signing-duration</c>). With no file
/// at all the controller signs nothing (and says so), as Kubernetes'. <c>kpf server</c> fills it
/// from its cluster PKI with <see cref="ForClusterPki"/>.
/// </summary>
public sealed record CsrSigningOptions
{
    /// <summary>kube-controller-manager's default <c>--cluster-signing-duration</c>: a year.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromHours(8760);

    /// <summary>The CA certificate of every signer (<c>--cluster-signing-cert-file</c>).</summary>
    public string? ClusterSigningCertFile { get; init; }

    /// <summary>Its key (<c>--cluster-signing-key-file</c>).</summary>
    public string? ClusterSigningKeyFile { get; init; }

    /// <summary>The CA of kubernetes.io/kube-apiserver-client (<c>--cluster-signing-kube-apiserver-client-cert-file</c>).</summary>
    public string? KubeApiServerClientCertFile { get; init; }

    /// <summary>Its key (<c>--cluster-signing-kube-apiserver-client-key-file</c>).</summary>
    public string? KubeApiServerClientKeyFile { get; init; }

    /// <summary>The CA of kubernetes.io/kube-apiserver-client-kubelet (<c>--cluster-signing-kubelet-client-cert-file</c>).</summary>
    public string? KubeletClientCertFile { get; init; }

    /// <summary>Its key (<c>--cluster-signing-kubelet-client-key-file</c>).</summary>
    public string? KubeletClientKeyFile { get; init; }

    /// <summary>The CA of kubernetes.io/kubelet-serving (<c>--cluster-signing-kubelet-serving-cert-file</c>).</summary>
    public string? KubeletServingCertFile { get; init; }

    /// <summary>Its key (<c>--cluster-signing-kubelet-serving-key-file</c>).</summary>
    public string? KubeletServingKeyFile { get; init; }

    /// <summary>The longest validity issued (<c>--cluster-signing-duration</c>); a request's <c>expirationSeconds</c> may only shorten it.</summary>
    public TimeSpan Duration { get; init; } = DefaultDuration;

    /// <summary>Requests signed at once (kube-controller-manager runs 5 workers per signer).</summary>
    public int Workers { get; init; } = 5;

    /// <summary>
    /// The signers of <c>kpf server</c>'s cluster PKI (<c>&lt;data-dir&gt;/tls/</c>): the client CA
    /// signs the two client signers, the server CA kubelets' serving certificates.
    /// </summary>
    public static CsrSigningOptions ForClusterPki(string clientCaCert, string clientCaKey, string serverCaCert, string serverCaKey) => new()
    {
        KubeApiServerClientCertFile = clientCaCert,
        KubeApiServerClientKeyFile = clientCaKey,
        KubeletClientCertFile = clientCaCert,
        KubeletClientKeyFile = clientCaKey,
        KubeletServingCertFile = serverCaCert,
        KubeletServingKeyFile = serverCaKey,
    };

    /// <summary>The options' errors in the flags' words; empty when valid. Files are read when the controller is built.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (HasDefault && HasSpecific)
        {
            errors.Add("cannot specify default and per controller certs at the same time");
        }

        foreach (var (signer, cert, key) in Pairs())
        {
            if (string.IsNullOrEmpty(cert) != string.IsNullOrEmpty(key))
            {
                errors.Add($"the CA of {signer} needs both a certificate file and a key file");
            }
        }

        if (Duration <= TimeSpan.Zero)
        {
            errors.Add("--cluster-signing-duration must be positive");
        }

        return errors;
    }

    private bool HasDefault => !string.IsNullOrEmpty(ClusterSigningCertFile) || !string.IsNullOrEmpty(ClusterSigningKeyFile);

    private bool HasSpecific => Pairs().Skip(1).Any(p => !string.IsNullOrEmpty(p.Cert) || !string.IsNullOrEmpty(p.Key));

    /// <summary>
    /// Reads each configured signer's CA, by signer name; empty when none is configured.
    /// </summary>
    /// <exception cref="InvalidOperationException">The options are not valid, or a CA cannot be read (the message names the files and why).</exception>
    internal Dictionary<string, CertificateAuthority> LoadSigners()
    {
        if (Validate() is [var first, ..])
        {
            throw new InvalidOperationException(first);
        }

        var signers = new Dictionary<string, CertificateAuthority>(StringComparer.Ordinal);
        var loaded = new Dictionary<(string, string), CertificateAuthority>();
        foreach (var (signer, cert, key) in HasDefault
            ? [(SignerNames.KubeApiServerClient, ClusterSigningCertFile, ClusterSigningKeyFile), (SignerNames.KubeApiServerClientKubelet, ClusterSigningCertFile, ClusterSigningKeyFile), (SignerNames.KubeletServing, ClusterSigningCertFile, ClusterSigningKeyFile)]
            : Pairs().Skip(1))
        {
            if (string.IsNullOrEmpty(cert) || string.IsNullOrEmpty(key))
            {
                continue;
            }

            if (!loaded.TryGetValue((cert, key), out var authority))
            {
                try
                {
                    authority = PemFiles.ReadAuthority(cert, key);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException or FormatException)
                {
                    foreach (var done in loaded.Values)
                    {
                        done.Dispose();
                    }

                    throw new InvalidOperationException($"failed to start the {signer} certificate signer: cannot read the CA from {cert} and {key}: {e.Message}", e);
                }

                loaded[(cert, key)] = authority;
            }

            signers[signer] = authority;
        }

        return signers;
    }

    private (string Signer, string? Cert, string? Key)[] Pairs() =>
    [
        ("every signer", ClusterSigningCertFile, ClusterSigningKeyFile),
        (SignerNames.KubeApiServerClient, KubeApiServerClientCertFile, KubeApiServerClientKeyFile),
        (SignerNames.KubeApiServerClientKubelet, KubeletClientCertFile, KubeletClientKeyFile),
        (SignerNames.KubeletServing, KubeletServingCertFile, KubeletServingKeyFile),
    ];
}
