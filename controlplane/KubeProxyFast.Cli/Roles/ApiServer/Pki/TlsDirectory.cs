namespace KubeProxyFast.Cli.Roles.ApiServer.Pki;

/// <summary>
/// The files of <c>kpf server</c>'s PKI under <c>&lt;data-dir&gt;/tls</c> (directory 0700, files 0600),
/// named as k3s names its own: <c>server-ca</c> signs serving certificates, <c>client-ca</c> client
/// certificates, each leaf beside its key.
/// </summary>
internal sealed class TlsDirectory
{
    /// <summary>The directory under <paramref name="dataDirectory"/>.</summary>
    public TlsDirectory(string dataDirectory) => Path = System.IO.Path.Combine(dataDirectory, "tls");

    /// <summary><c>&lt;data-dir&gt;/tls</c>.</summary>
    public string Path { get; }

    /// <summary>The CA that signs the apiserver's (and kubelets') serving certificates: the bundle clients trust and <c>/cacerts</c> serves.</summary>
    public string ServerCaCertificate => File("server-ca.crt");

    /// <summary>Its key.</summary>
    public string ServerCaKey => File("server-ca.key");

    /// <summary>The CA that signs client certificates: the apiserver authenticates users by it.</summary>
    public string ClientCaCertificate => File("client-ca.crt");

    /// <summary>Its key.</summary>
    public string ClientCaKey => File("client-ca.key");

    /// <summary>The apiserver's serving certificate.</summary>
    public string ServingCertificate => File("serving-kube-apiserver.crt");

    /// <summary>Its key.</summary>
    public string ServingKey => File("serving-kube-apiserver.key");

    /// <summary>The client certificate of <paramref name="identity"/>.</summary>
    public string ClientCertificate(ClientIdentity identity) => File($"client-{identity.FileStem}.crt");

    /// <summary>Its key.</summary>
    public string ClientKey(ClientIdentity identity) => File($"client-{identity.FileStem}.key");

    private string File(string name) => System.IO.Path.Combine(Path, name);
}
