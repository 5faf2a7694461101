namespace KubeProxyFast.Api.Certificates;

/// <summary>The key usages a CertificateSigningRequest may ask for, as Kubernetes names them.</summary>
public static class KeyUsages
{
    /// <summary>"signing".</summary>
    public const string Signing = "signing";

    /// <summary>"digital signature".</summary>
    public const string DigitalSignature = "digital signature";

    /// <summary>"key encipherment".</summary>
    public const string KeyEncipherment = "key encipherment";

    /// <summary>"server auth".</summary>
    public const string ServerAuth = "server auth";

    /// <summary>"client auth".</summary>
    public const string ClientAuth = "client auth";

    /// <summary>Every usage Kubernetes accepts, sorted as its validation lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "any", "cert sign", ClientAuth, "code signing", "content commitment", "crl sign", "data encipherment", "decipher only",
        DigitalSignature, "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement",
        KeyEncipherment, "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", ServerAuth, Signing, "timestamping",
    ];
}
