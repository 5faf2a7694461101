using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace KubeProxyFast.ApiServer.Security;

/// <summary>
/// How a secured apiserver serves and decides who may do what: HTTPS with a serving certificate,
/// client certificates checked against the client CA, bearer tokens (a token file, bootstrap
/// tokens), anonymous requests on a few paths only, and the authorization modes. Set on
/// <see cref="ApiServerOptions.Security"/>; without it the server is plain HTTP on loopback.
/// </summary>
public sealed record ApiServerSecurity
{
    /// <summary>The paths anonymous requests may use, as Kubernetes' <c>system:public-info-viewer</c> grants them.</summary>
    public static IReadOnlyList<string> DefaultAnonymousPaths { get; } = ["/healthz", "/readyz", "/livez", "/version"];

    /// <summary>The serving certificate, with its private key (<c>--tls-cert-file</c>/<c>--tls-private-key-file</c>).</summary>
    public required X509Certificate2 ServingCertificate { get; init; }

    /// <summary>Intermediate certificates sent after the serving certificate (the rest of <c>--tls-cert-file</c>).</summary>
    public X509Certificate2Collection ServingChain { get; init; } = [];

    /// <summary>The CAs that sign client certificates (<c>--client-ca-file</c>): a verified certificate's CN is the user, its O values the groups.</summary>
    public required X509Certificate2Collection ClientCertificateAuthorities { get; init; }

    /// <summary><c>--token-auth-file</c>: Kubernetes' static token CSV (<c>token,user,uid,"group1,group2"</c>); null for none.</summary>
    public string? TokenAuthFile { get; init; }

    /// <summary><c>--enable-bootstrap-token-auth</c>: bootstrap tokens (<c>&lt;id&gt;.&lt;secret&gt;</c>) from Secrets in kube-system.</summary>
    public bool EnableBootstrapTokenAuth { get; init; } = true;

    /// <summary>The exact paths requests without credentials may use (as <c>system:anonymous</c>); every other one answers 401.</summary>
    public IReadOnlyList<string> AnonymousPaths { get; init; } = DefaultAnonymousPaths;

    /// <summary>
    /// <c>--insecure-port</c>: a plain-HTTP listener beside the secure one, on <see cref="InsecureBindAddress"/>
    /// (loopback only), where every request acts as <c>system:unsecured</c> in <c>system:masters</c>; null for none.
    /// </summary>
    public int? InsecurePort { get; init; }

    /// <summary>The clock certificates and tokens are checked against (tests move it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The loopback address of the plain-HTTP listener.</summary>
    public IPAddress InsecureBindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// The server CA bundle served to anyone at <c>/cacerts</c>, as k3s serves it: the PEM bytes a
    /// join token's <c>K10&lt;hash&gt;</c> is the SHA-256 of (<c>KubeProxyFast.Pki.CaHash</c>), so
    /// they must be these exact bytes; null serves no <c>/cacerts</c>.
    /// </summary>
    public byte[]? ServerCaBundlePem { get; init; }
}
