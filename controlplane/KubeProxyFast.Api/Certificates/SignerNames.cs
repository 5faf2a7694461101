namespace KubeProxyFast.Api.Certificates;

/// <summary>The signers Kubernetes defines.</summary>
public static class SignerNames
{
    /// <summary>Client certificates for kube-apiserver; never auto-approved.</summary>
    public const string KubeApiServerClient = "kubernetes.io/kube-apiserver-client";

    /// <summary>Kubelets' client certificates for kube-apiserver (<c>system:node:&lt;name&gt;</c> in <c>system:nodes</c>).</summary>
    public const string KubeApiServerClientKubelet = "kubernetes.io/kube-apiserver-client-kubelet";

    /// <summary>Kubelets' serving certificates (port 10250).</summary>
    public const string KubeletServing = "kubernetes.io/kubelet-serving";

    /// <summary>The v1beta1 default, refused by v1.</summary>
    public const string LegacyUnknown = "kubernetes.io/legacy-unknown";
}
