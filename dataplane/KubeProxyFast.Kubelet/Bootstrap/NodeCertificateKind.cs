namespace KubeProxyFast.Kubelet.Bootstrap;

/// <summary>
/// One of the node's two CSR-issued certificates: who signs it, for what, and where it is kept.
/// Usages are the kubelet's own (client-go's certificate manager), which Kubernetes' approver and
/// signers accept: a client certificate for the apiserver, a serving certificate for <c>:10250</c>.
/// </summary>
internal sealed record NodeCertificateKind(string Name, string SignerName, IReadOnlyList<string> Usages, string CertificatePath, string KeyPath, bool Serving)
{
    /// <summary><c>kubernetes.io/kube-apiserver-client-kubelet</c>: the kubelet's identity toward the apiserver.</summary>
    public const string ClientSigner = "kubernetes.io/kube-apiserver-client-kubelet";

    /// <summary><c>kubernetes.io/kubelet-serving</c>: the certificate the kubelet's API serves.</summary>
    public const string ServingSigner = "kubernetes.io/kubelet-serving";

    /// <summary>The client certificate kept at <paramref name="paths"/>.</summary>
    public static NodeCertificateKind Client(NodeCredentialPaths paths) =>
        new("client", ClientSigner, ["digital signature", "key encipherment", "client auth"], paths.ClientCertificate, paths.ClientKey, Serving: false);

    /// <summary>The serving certificate kept at <paramref name="paths"/>.</summary>
    public static NodeCertificateKind ServingOf(NodeCredentialPaths paths) =>
        new("serving", ServingSigner, ["digital signature", "key encipherment", "server auth"], paths.ServingCertificate, paths.ServingKey, Serving: true);
}
