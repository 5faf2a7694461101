namespace KubeProxyFast.Dataplane.Netfilter.IptablesRestore;

/// <summary>The names kube-proxy gives its chains, marks and comments, kept as it spells them.</summary>
internal static class KubeChains
{
    /// <summary>nat: every service address; filter: REJECT for cluster IPs of ports without endpoints.</summary>
    public const string Services = "KUBE-SERVICES";

    /// <summary>nat: node ports, reached from the last rule of KUBE-SERVICES for local destinations.</summary>
    public const string NodePorts = "KUBE-NODEPORTS";

    /// <summary>nat: masquerades what KUBE-MARK-MASQ marked.</summary>
    public const string PostRouting = "KUBE-POSTROUTING";

    /// <summary>nat: sets the masquerade bit.</summary>
    public const string MarkMasq = "KUBE-MARK-MASQ";

    /// <summary>filter: REJECT for external IPs and node ports of ports without endpoints.</summary>
    public const string ExternalServices = "KUBE-EXTERNAL-SERVICES";

    /// <summary>Prefix of a service port's balancing chain.</summary>
    public const string ServicePortPrefix = "KUBE-SVC-";

    /// <summary>Prefix of a service port's chain for traffic from outside (node port, external IP).</summary>
    public const string ExternalPrefix = "KUBE-EXT-";

    /// <summary>Prefix of an endpoint's DNAT chain.</summary>
    public const string EndpointPrefix = "KUBE-SEP-";

    /// <summary>
    /// kube-proxy's default masquerade bit (<c>--iptables-masquerade-bit=14</c>); sharing it keeps
    /// the mark meaningful to anything else on the node that follows kube-proxy's convention.
    /// </summary>
    public const string MasqueradeMark = "0x4000";

    /// <summary>The longest chain name the kernel takes (XT_EXTENSION_MAXNAMELEN 29, with the NUL).</summary>
    public const int MaxChainNameLength = 28;

    /// <summary>The longest comment xt_comment keeps (XT_MAX_COMMENT_LEN 256, with the NUL).</summary>
    public const int MaxCommentLength = 255;

    public const string ServicePortalsComment = "kubernetes service portals";
    public const string ExternalPortalsComment = "kubernetes externally-visible service portals";
    public const string PostRoutingComment = "kubernetes postrouting rules";
    public const string NodePortsComment = "kubernetes service nodeports; NOTE: this must be the last rule in this chain";
}
