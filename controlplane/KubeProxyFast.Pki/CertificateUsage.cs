namespace KubeProxyFast.Pki;

/// <summary>What a leaf certificate is for: its extended key usages.</summary>
[Flags]
public enum CertificateUsage
{
    /// <summary>TLS server authentication (1.3.6.1.5.5.7.3.1): the apiserver's and kubelets' serving certificates.</summary>
    Server = 1,

    /// <summary>TLS client authentication (1.3.6.1.5.5.7.3.2): users' and components' client certificates.</summary>
    Client = 2,
}
