using System.Net;

namespace KubeProxyFast.Kubelet.Server;

/// <summary>
/// The kubelet's API on <c>:10250</c> (<c>--address</c>, <c>--port</c>, <c>--tls-*</c>,
/// <c>--client-ca-file</c>, <c>--anonymous-auth</c>, <c>--authentication-token-webhook</c>,
/// <c>--authorization-mode</c>), defaulted as a kubelet started with
/// <c>--anonymous-auth=false --authentication-token-webhook --authorization-mode=Webhook</c>.
/// The webhooks' cache lifetimes are Kubernetes' defaults.
/// </summary>
public sealed record KubeletServerOptions
{
    /// <summary>The kubelet's port, as Kubernetes'.</summary>
    public const int DefaultPort = 10250;

    /// <summary>The address to serve on (<c>--address</c>); every address by default.</summary>
    public IPAddress Address { get; init; } = IPAddress.Any;

    /// <summary>The port (<c>--port</c>); 0 picks a free one (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The serving certificate (<c>--tls-cert-file</c>, leaf first then its chain); null uses the CSR-issued one, else a self-signed one.</summary>
    public string? TlsCertFile { get; init; }

    /// <summary>Its private key (<c>--tls-private-key-file</c>).</summary>
    public string? TlsPrivateKeyFile { get; init; }

    /// <summary>
    /// The CAs of client certificates (<c>--client-ca-file</c>, reread when it changes); null reads
    /// <c>client-ca-file</c> of ConfigMap <c>kube-system/extension-apiserver-authentication</c>.
    /// </summary>
    public string? ClientCaFile { get; init; }

    /// <summary>Requests without credentials act as <c>system:anonymous</c> (<c>--anonymous-auth</c>); otherwise they get 401.</summary>
    public bool AnonymousAuth { get; init; }

    /// <summary>Bearer tokens are checked with a TokenReview (<c>--authentication-token-webhook</c>).</summary>
    public bool AuthenticationTokenWebhook { get; init; } = true;

    /// <summary>How requests are authorized (<c>--authorization-mode</c>).</summary>
    public KubeletAuthorizationMode AuthorizationMode { get; init; } = KubeletAuthorizationMode.Webhook;

    /// <summary>How long an authenticated TokenReview is reused (<c>authentication.webhook.cacheTTL</c>: 2 min).</summary>
    public TimeSpan TokenCacheTtl { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an allowed SubjectAccessReview is reused (<c>authorization.webhook.cacheAuthorizedTTL</c>: 5 min).</summary>
    public TimeSpan AuthorizedCacheTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a denied SubjectAccessReview is reused (<c>authorization.webhook.cacheUnauthorizedTTL</c>: 30 s).</summary>
    public TimeSpan UnauthorizedCacheTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the client CA is read again from the ConfigMap (when no <c>--client-ca-file</c>).</summary>
    public TimeSpan ClientCaRefreshInterval { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>The kubelet's authorization modes.</summary>
public enum KubeletAuthorizationMode
{
    /// <summary>Every authenticated request is asked of the apiserver with a SubjectAccessReview.</summary>
    Webhook,

    /// <summary>Every authenticated request is allowed.</summary>
    AlwaysAllow,
}
