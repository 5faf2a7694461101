using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Core;

/// <summary>
/// v1 Secret: sensitive values by key. The apiserver encrypts them at rest and never logs them;
/// <see cref="StringData"/> is write-only, merged into <see cref="Data"/> on every write.
/// </summary>
public sealed class Secret : KubeObject
{
    /// <summary>When true, <see cref="Data"/> can never change (only metadata can), nor can this be unset.</summary>
    public bool? Immutable { get; set; }

    /// <summary>The values by key, base64 in JSON.</summary>
    public Dictionary<string, byte[]>? Data { get; set; }

    /// <summary>
    /// Text values by key, for writing only: the server merges them into <see cref="Data"/> (overwriting
    /// the same keys) before validation and never stores or returns them.
    /// </summary>
    public Dictionary<string, string>? StringData { get; set; }

    /// <summary>What the data holds (<see cref="SecretTypes"/>); <c>Opaque</c> when not given; fixed after create.</summary>
    public string? Type { get; set; }
}

/// <summary>v1 SecretList.</summary>
public sealed class SecretList : KubeList<Secret>;

/// <summary>The Secret types Kubernetes defines, and the keys their data must hold.</summary>
public static class SecretTypes
{
    /// <summary>Arbitrary data: the default.</summary>
    public const string Opaque = "Opaque";

    /// <summary>A service account's token; needs the annotation <see cref="ServiceAccountNameKey"/>.</summary>
    public const string ServiceAccountToken = "kubernetes.io/service-account-token";

    /// <summary>A <c>~/.dockercfg</c> file under <see cref="DockerConfigKey"/>.</summary>
    public const string Dockercfg = "kubernetes.io/dockercfg";

    /// <summary>A <c>~/.docker/config.json</c> file under <see cref="DockerConfigJsonKey"/>.</summary>
    public const string DockerConfigJson = "kubernetes.io/dockerconfigjson";

    /// <summary>A <see cref="BasicAuthUsernameKey"/> and/or a <see cref="BasicAuthPasswordKey"/>.</summary>
    public const string BasicAuth = "kubernetes.io/basic-auth";

    /// <summary>An SSH private key under <see cref="SshAuthPrivateKey"/>.</summary>
    public const string SshAuth = "kubernetes.io/ssh-auth";

    /// <summary>A TLS certificate and key under <see cref="TlsCertKey"/> and <see cref="TlsPrivateKeyKey"/>.</summary>
    public const string Tls = "kubernetes.io/tls";

    /// <summary>A bootstrap token (kubeadm's, for joining nodes).</summary>
    public const string BootstrapToken = "bootstrap.kubernetes.io/token";

    /// <summary>The annotation a service-account-token Secret must carry.</summary>
    public const string ServiceAccountNameKey = "kubernetes.io/service-account.name";

    /// <summary>The data key of a dockercfg Secret.</summary>
    public const string DockerConfigKey = ".dockercfg";

    /// <summary>The data key of a dockerconfigjson Secret.</summary>
    public const string DockerConfigJsonKey = ".dockerconfigjson";

    /// <summary>The username key of a basic-auth Secret.</summary>
    public const string BasicAuthUsernameKey = "username";

    /// <summary>The password key of a basic-auth Secret.</summary>
    public const string BasicAuthPasswordKey = "password";

    /// <summary>The private key of an ssh-auth Secret.</summary>
    public const string SshAuthPrivateKey = "ssh-privatekey";

    /// <summary>The certificate of a TLS Secret.</summary>
    public const string TlsCertKey = "tls.crt";

    /// <summary>The private key of a TLS Secret.</summary>
    public const string TlsPrivateKeyKey = "tls.key";
}
