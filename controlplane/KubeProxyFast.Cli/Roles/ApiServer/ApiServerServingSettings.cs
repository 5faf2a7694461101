using System.Net;

namespace KubeProxyFast.Cli.Roles.ApiServer;

/// <summary>How <c>kpf server</c> serves the API securely, as <see cref="ApiServerFlags"/> binds it (kube-apiserver's and k3s's flags).</summary>
internal sealed record ApiServerServingSettings
{
    /// <summary><c>--tls-san</c>: more addresses and names for the serving certificate.</summary>
    public IReadOnlyList<string> TlsSans { get; init; } = [];

    /// <summary><c>--cluster-domain</c>: the serving certificate names <c>kubernetes.default.svc.&lt;domain&gt;</c>.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary><c>--tls-cert-file</c>: the operator's serving certificate (and its chain); null issues our own.</summary>
    public string? TlsCertFile { get; init; }

    /// <summary><c>--tls-private-key-file</c>: its key.</summary>
    public string? TlsPrivateKeyFile { get; init; }

    /// <summary><c>--client-ca-file</c>: the operator's client CAs, trusted besides our own client CA.</summary>
    public string? ClientCaFile { get; init; }

    /// <summary><c>--token-auth-file</c>: Kubernetes' static token CSV.</summary>
    public string? TokenAuthFile { get; init; }

    /// <summary><c>--anonymous-auth</c>: requests without credentials may use the health and version paths.</summary>
    public bool AnonymousAuth { get; init; } = true;

    /// <summary><c>--insecure-port</c>: a plain-HTTP listener on <see cref="InsecureBindAddress"/>; null for none.</summary>
    public int? InsecurePort { get; init; }

    /// <summary><c>--insecure-bind-address</c>: loopback only.</summary>
    public IPAddress InsecureBindAddress { get; init; } = IPAddress.Loopback;

    /// <summary><c>--write-kubeconfig-mode</c>: the kubeconfig's file mode (0600 unless asked).</summary>
    public UnixFileMode KubeconfigMode { get; init; } = UnixFileMode.UserRead | UnixFileMode.UserWrite;
}
